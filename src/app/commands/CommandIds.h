#pragma once

// QUndoCommand::id() values of the commands that merge. Unique across the application's stack.
enum class CommandId : int {
    MoveNodes = 1001,
    SetNode = 1002,
    SetEngine = 1003,
};
