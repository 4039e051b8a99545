#pragma once

#include <QString>

// Extracts the new value from an optimizer reply: the text between <TAG> and </TAG>.
// A missing closing tag is tolerated (the text after the opening tag is used); a missing
// opening tag or an empty value is reported, never turned into a new prompt.
struct ParsedReply
{
    enum class Status { Ok, MissingCloseTag, MissingOpenTag, Empty };
    Status status = Status::Empty;
    QString value;   // trimmed; empty unless Ok or MissingCloseTag

    bool usable() const { return status == Status::Ok || status == Status::MissingCloseTag; }
};

namespace ReplyParser {
ParsedReply parse(const QString &reply, const QString &tag);
}
