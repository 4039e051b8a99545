#include "../unit/PipelineExamples.h"
#include "Clipboard.h"
#include "commands/AddNodeCommand.h"
#include "commands/ConnectCommand.h"
#include "commands/DisconnectCommand.h"
#include "commands/MoveNodesCommand.h"
#include "commands/PasteNodesCommand.h"
#include "commands/RemoveNodesCommand.h"
#include "commands/RenameNodeCommand.h"
#include "commands/SetEngineCommand.h"
#include "commands/SetNodeCommand.h"
#include "commands/SetOptimizerCommand.h"
#include "commands/SetPipelineSettingsCommand.h"
#include "graph/PipelineDocument.h"
#include "graph/PipelineJson.h"

#include <QJsonDocument>
#include <QMimeData>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QJsonObject parse(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QByteArray dump(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestUndoCommands : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PipelineDocument> m_doc;
    std::unique_ptr<QUndoStack> m_stack;

    // Pushes (which redoes), then checks undo gives the JSON before and redo the JSON after.
    void check(QUndoCommand *command, bool expectChange = true)
    {
        const QByteArray before = dump(m_doc->toJson());
        m_stack->push(command);
        const QByteArray after = dump(m_doc->toJson());
        if (expectChange)
            QVERIFY2(before != after, "the command changed nothing");
        m_stack->undo();
        QCOMPARE(dump(m_doc->toJson()), before);
        m_stack->redo();
        QCOMPARE(dump(m_doc->toJson()), after);
        m_stack->undo();
        QCOMPARE(dump(m_doc->toJson()), before);
        m_stack->redo();
    }

private Q_SLOTS:
    void init()
    {
        m_doc = std::make_unique<PipelineDocument>();
        m_stack = std::make_unique<QUndoStack>();
        QVector<PipelineIssue> issues;
        QVERIFY(m_doc->fromJson(parse(kContractExample), &issues));
    }

    void cleanup()
    {
        m_stack.reset();
        m_doc.reset();
    }

    void addNode()
    {
        PipelineNode n;
        n.id = m_doc->uniqueId(u"answer"_s);
        n.type = NodeType::Llm;
        n.engine = u"student"_s;
        n.templateText = u"{question}"_s;
        n.inputs.insert(u"question"_s, u"question"_s);
        n.position = QPointF(3, 4);
        QSignalSpy added(m_doc.get(), &PipelineDocument::nodeAdded);
        check(new AddNodeCommand(m_doc.get(), n, 1));
        QCOMPARE(m_doc->nodeIds().at(1), u"answer_2"_s);
        QCOMPARE(added.count(), 3); // push, redo, redo
    }

    void addNodeOverDanglingReference()
    {
        // An input already names "later"; adding "later" and undoing keeps that input.
        m_doc->connect(u"score"_s, u"extra"_s, u"later"_s);
        PipelineNode n;
        n.id = u"later"_s;
        n.type = NodeType::Parameter;
        check(new AddNodeCommand(m_doc.get(), n));
    }

    void removeNodesRestoresEdges()
    {
        check(new RemoveNodesCommand(m_doc.get(), { u"answer"_s }));
        QVERIFY(!m_doc->contains(u"answer"_s));
        m_stack->undo();
        QCOMPARE(m_doc->node(u"score"_s)->inputs.value(u"prediction"_s), u"answer"_s);
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"system"_s), u"system_prompt"_s);
        QVERIFY(m_doc->issuesFor(u"score"_s).isEmpty());
    }

    void cleanStateDrivesModified()
    {
        QObject::connect(m_stack.get(), &QUndoStack::cleanChanged, m_doc.get(),
            [doc = m_doc.get()](bool clean) { doc->setModified(!clean); });
        QVERIFY(!m_doc->isModified());
        m_stack->push(new DisconnectCommand(m_doc.get(), u"answer"_s, u"system"_s));
        QVERIFY(m_doc->isModified());
        m_stack->undo();
        QVERIFY(!m_doc->isModified());
        m_stack->redo();
        m_stack->setClean();
        QVERIFY(!m_doc->isModified());
    }

    void removeSeveralNodes()
    {
        // Sources and targets among the removed, in an order unlike the file order.
        check(new RemoveNodesCommand(
            m_doc.get(), { u"score"_s, u"question"_s, u"system_prompt"_s, u"answer"_s }));
        QCOMPARE(m_doc->nodeIds(), QStringList { u"reference"_s });
    }

    void moveMerges()
    {
        const QByteArray before = dump(m_doc->toJson());
        const QStringList ids { u"answer"_s, u"question"_s };
        for (int i = 1; i <= 3; ++i) {
            QMap<QString, QPointF> to;
            for (const QString &id : ids)
                to.insert(id, QPointF(10 * i, i));
            m_stack->push(new MoveNodesCommand(m_doc.get(), to));
        }
        QCOMPARE(m_stack->count(), 1);
        QCOMPARE(m_doc->node(u"answer"_s)->position, std::optional<QPointF>(QPointF(30, 3)));
        const QByteArray after = dump(m_doc->toJson());
        m_stack->undo();
        QCOMPARE(dump(m_doc->toJson()), before);
        QVERIFY(!m_doc->node(u"answer"_s)->position.has_value());
        m_stack->redo();
        QCOMPARE(dump(m_doc->toJson()), after);

        // Another node set starts a new step.
        m_stack->push(new MoveNodesCommand(
            m_doc.get(), QMap<QString, QPointF> { { u"answer"_s, QPointF(1, 1) } }));
        QCOMPARE(m_stack->count(), 2);
        check(new MoveNodesCommand(
            m_doc.get(), QMap<QString, QPointF> { { u"score"_s, QPointF(7, 7) } }));
    }

    void moveAfterLiveDrag()
    {
        // The scene moved the item already and reports where it started.
        QMap<QString, std::optional<QPointF>> from { { u"answer"_s, std::nullopt } };
        check(new MoveNodesCommand(
            m_doc.get(), from, QMap<QString, QPointF> { { u"answer"_s, QPointF(2, 2) } }));
    }

    void setNode()
    {
        PipelineNode n = *m_doc->node(u"answer"_s);
        n.role = u"the reply"_s;
        n.templateText = u"Q: {question} ({hint})"_s;
        n.inputs.remove(u"system"_s);
        n.position = QPointF(1, 2);
        check(new SetNodeCommand(m_doc.get(), n));
        QVERIFY(!m_doc->issuesFor(u"answer"_s).isEmpty()); // {hint} has no input
        m_stack->undo();
        QVERIFY(m_doc->issuesFor(u"answer"_s).isEmpty());
    }

    void setNodeMergesTypingBurst()
    {
        const QByteArray before = dump(m_doc->toJson());
        const qint64 t0 = 1'000'000;
        PipelineNode n = *m_doc->node(u"system_prompt"_s);
        const QString words[] = { u"Be"_s, u"Be brief"_s, u"Be brief."_s };
        for (int i = 0; i < 3; ++i) {
            n.value = words[i];
            m_stack->push(new SetNodeCommand(m_doc.get(), n, u"value"_s, nullptr, t0 + 500 * i));
        }
        QCOMPARE(m_stack->count(), 1);
        // Another field, then the same field after a pause: two more steps.
        n.role = u"instructions"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), n, u"role"_s, nullptr, t0 + 1100));
        n.role = u"instructions!"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), n, u"role"_s, nullptr, t0 + 9000));
        QCOMPARE(m_stack->count(), 3);
        // No field: never merges.
        n.trainable = false;
        m_stack->push(new SetNodeCommand(m_doc.get(), n, QString(), nullptr, t0 + 9001));
        n.trainable = true;
        m_stack->push(new SetNodeCommand(m_doc.get(), n, QString(), nullptr, t0 + 9002));
        QCOMPARE(m_stack->count(), 5);
        const QByteArray after = dump(m_doc->toJson());
        while (m_stack->canUndo())
            m_stack->undo();
        QCOMPARE(dump(m_doc->toJson()), before);
        while (m_stack->canRedo())
            m_stack->redo();
        QCOMPARE(dump(m_doc->toJson()), after);
    }

    void renameNode()
    {
        QSignalSpy renamed(m_doc.get(), &PipelineDocument::nodeRenamed);
        check(new RenameNodeCommand(m_doc.get(), u"score"_s, u"accuracy"_s));
        QCOMPARE(m_doc->pipeline().objective, u"accuracy"_s);
        QCOMPARE(renamed.count(), 5);
        check(new RenameNodeCommand(m_doc.get(), u"answer"_s, u"reply"_s));
        QCOMPARE(m_doc->node(u"accuracy"_s)->inputs.value(u"prediction"_s), u"reply"_s);
        // A refused rename is dropped by the stack.
        const int count = m_stack->count();
        m_stack->push(new RenameNodeCommand(m_doc.get(), u"reply"_s, u"question"_s));
        QCOMPARE(m_stack->count(), count);
    }

    void connectFreePortAndReplace()
    {
        PipelineNode judge;
        judge.id = u"judge"_s;
        judge.type = NodeType::Judge;
        m_stack->push(new AddNodeCommand(m_doc.get(), judge));
        QVERIFY(m_doc->canConnect(u"answer"_s, u"judge"_s, u"summary"_s));
        check(new ConnectCommand(m_doc.get(), u"judge"_s, u"summary"_s, u"answer"_s));
        // Replacing: undo gives the old source back.
        QSignalSpy removed(m_doc.get(), &PipelineDocument::edgeRemoved);
        check(new ConnectCommand(m_doc.get(), u"score"_s, u"reference"_s, u"question"_s));
        QCOMPARE(removed.at(0), (QVariantList { u"score"_s, u"reference"_s, u"reference"_s }));
        m_stack->undo();
        QCOMPARE(m_doc->node(u"score"_s)->inputs.value(u"reference"_s), u"reference"_s);
    }

    void disconnect()
    {
        check(new DisconnectCommand(m_doc.get(), u"answer"_s, u"system"_s));
        QVERIFY(!m_doc->node(u"answer"_s)->inputs.contains(u"system"_s));
        // A free port: nothing to do, nothing to undo.
        check(new DisconnectCommand(m_doc.get(), u"answer"_s, u"system"_s), false);
    }

    void engines()
    {
        EngineConfig e;
        e.provider = u"ollama"_s;
        e.model = u"qwen3"_s;
        e.temperature = 0.2;
        check(new SetEngineCommand(m_doc.get(), u"local"_s, e));
        e.model = u"llama3.2"_s;
        check(new SetEngineCommand(m_doc.get(), u"student"_s, e));
        check(new SetEngineCommand(m_doc.get(), u"teacher"_s, std::nullopt));
        QVERIFY(!m_doc->pipeline().engines.contains(u"teacher"_s));
    }

    void optimizerAndSettings()
    {
        OptimizerSettings o = m_doc->pipeline().optimizer;
        o.kind = u"tgd-momentum"_s;
        o.constraints = QStringList { u"short"_s };
        o.maxSteps = 20;
        check(new SetOptimizerCommand(m_doc.get(), o));
        using S = SetPipelineSettingsCommand::Setting;
        check(new SetPipelineSettingsCommand(m_doc.get(), S::Objective, u"answer"_s));
        check(new SetPipelineSettingsCommand(m_doc.get(), S::BackwardEngine, u"student"_s));
        check(new SetPipelineSettingsCommand(m_doc.get(), S::Name, u"Renamed"_s));
        check(new SetPipelineSettingsCommand(m_doc.get(), S::Description, u"about"_s));
    }

    void pasteRemapsIdsAndEdges()
    {
        m_doc->moveNode(u"answer"_s, QPointF(100, 50));
        const QStringList selection { u"question"_s, u"answer"_s };
        std::unique_ptr<QMimeData> mime(Clipboard::toMimeData(m_doc->pipeline(), selection));
        QVERIFY(mime->hasFormat(QString::fromLatin1(Clipboard::kMimeType)));
        QVERIFY(mime->hasText());
        QVERIFY(Clipboard::canPaste(mime.get()));
        QString error;
        const QVector<PipelineNode> nodes = Clipboard::fromMimeData(mime.get(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(nodes.size(), 2);
        // The edge from system_prompt left the selection with it.
        QCOMPARE(nodes.at(1).inputs.size(), 1);

        auto *paste = new PasteNodesCommand(m_doc.get(), nodes, QPointF(20, 20));
        check(paste);
        QCOMPARE(paste->pastedIds(), (QStringList { u"question_2"_s, u"answer_2"_s }));
        const PipelineNode *copy = m_doc->node(u"answer_2"_s);
        QVERIFY(copy);
        QCOMPARE(copy->inputs.value(u"question"_s), u"question_2"_s);
        QCOMPARE(copy->position, std::optional<QPointF>(QPointF(120, 70)));
        QCOMPARE(copy->templateText, u"{question}"_s);
        QVERIFY(!m_doc->node(u"question_2"_s)->position.has_value());
        // The originals are untouched.
        QCOMPARE(m_doc->node(u"answer"_s)->inputs.value(u"question"_s), u"question"_s);

        // Pasting plain text works as well; bad text says why.
        QMimeData plain;
        plain.setText(mime->text());
        QCOMPARE(Clipboard::fromMimeData(&plain).size(), 2);
        plain.setText(u"hello"_s);
        QVERIFY(!Clipboard::canPaste(&plain));
        QVERIFY(Clipboard::fromMimeData(&plain, &error).isEmpty());
        QVERIFY(!error.isEmpty());
    }

    void clipboardKeepsEveryKey()
    {
        QVector<PipelineIssue> issues;
        QVERIFY(m_doc->fromJson(parse(kEverything), &issues));
        const QStringList ids = m_doc->nodeIds();
        const QVector<PipelineNode> nodes
            = Clipboard::fromJsonText(Clipboard::toJsonText(m_doc->pipeline(), ids));
        Pipeline copy = m_doc->pipeline();
        copy.nodes = nodes;
        QCOMPARE(dump(PipelineJson::toJson(copy)), dump(m_doc->toJson()));
    }

    void randomEditsUndoAllRedoAll()
    {
        QVector<PipelineIssue> issues;
        QVERIFY(m_doc->fromJson(parse(kEverything), &issues));
        QRandomGenerator rng(20261123);
        const QByteArray start = dump(m_doc->toJson());
        // JSON after each stack index; a merged command overwrites its slot.
        QMap<int, QByteArray> snapshots { { 0, start } };
        const QStringList fields { u"role"_s, u"value"_s, u"template"_s };
        int pushed = 0;
        for (int step = 0; step < 400; ++step) {
            const QStringList ids = m_doc->nodeIds();
            auto anyId
                = [&] { return ids.isEmpty() ? QString() : ids.at(int(rng.bounded(ids.size()))); };
            QUndoCommand *command = nullptr;
            switch (rng.bounded(11)) {
            case 0: {
                if (ids.size() >= 40)
                    break;
                PipelineNode n;
                const int type = int(rng.bounded(5));
                n.type = NodeType(type);
                n.id = m_doc->uniqueId(nodeTypeName(n.type));
                if (n.type == NodeType::Llm) {
                    n.engine = u"e"_s;
                    n.templateText = u"{a} and {b}"_s;
                }
                if (rng.bounded(2))
                    n.position = QPointF(rng.bounded(500), rng.bounded(500));
                command
                    = new AddNodeCommand(m_doc.get(), n, int(rng.bounded(int(ids.size()) + 1)) - 1);
                break;
            }
            case 1: {
                QStringList victims;
                for (int k = 0, count = 1 + int(rng.bounded(3)); k < count && !ids.isEmpty(); ++k) {
                    const QString id = anyId();
                    if (!victims.contains(id))
                        victims << id;
                }
                if (!victims.isEmpty())
                    command = new RemoveNodesCommand(m_doc.get(), victims);
                break;
            }
            case 2: {
                QMap<QString, QPointF> to;
                if (!ids.isEmpty())
                    to.insert(anyId(), QPointF(rng.bounded(800), rng.bounded(800)));
                if (!to.isEmpty())
                    command = new MoveNodesCommand(m_doc.get(), to);
                break;
            }
            case 3: {
                if (ids.isEmpty())
                    break;
                PipelineNode n = *m_doc->node(anyId());
                const QString field = fields.at(int(rng.bounded(fields.size())));
                const QString text = QString::number(rng.generate());
                if (field == u"role"_s)
                    n.role = text;
                else if (field == u"value"_s)
                    n.value = text;
                else
                    n.templateText = u"{x"_s + text.left(1) + u"} "_s + text;
                command = new SetNodeCommand(m_doc.get(), n, field);
                break;
            }
            case 4: {
                if (ids.isEmpty())
                    break;
                const QString id = anyId();
                command = new RenameNodeCommand(m_doc.get(), id, m_doc->uniqueId(id + u"_r"_s));
                break;
            }
            case 5: {
                const QString source = anyId();
                const QString target = anyId();
                const PipelineNode *t = m_doc->node(target);
                if (!t)
                    break;
                const NodePorts ports = PipelineDocument::ports(*t);
                QString port = ports.inputs.isEmpty()
                    ? u"extra"_s
                    : ports.inputs.at(int(rng.bounded(ports.inputs.size()))).name;
                if (ports.acceptsNewPorts && rng.bounded(2))
                    port = Ports::newPortName(*t, u"in"_s);
                if (m_doc->canConnect(source, target, port))
                    command = new ConnectCommand(m_doc.get(), target, port, source);
                break;
            }
            case 6: {
                const QVector<PipelineEdge> edges = m_doc->edges();
                if (!edges.isEmpty()) {
                    const PipelineEdge e = edges.at(int(rng.bounded(edges.size())));
                    command = new DisconnectCommand(m_doc.get(), e.target, e.port);
                }
                break;
            }
            case 7: {
                const QString name = u"engine"_s + QString::number(rng.bounded(3));
                if (rng.bounded(3) == 0) {
                    command = new SetEngineCommand(m_doc.get(), name, std::nullopt);
                } else {
                    EngineConfig e;
                    e.provider = u"openai"_s;
                    e.model = QString::number(rng.bounded(100));
                    command = new SetEngineCommand(m_doc.get(), name, e);
                }
                break;
            }
            case 8: {
                OptimizerSettings o = m_doc->pipeline().optimizer;
                o.maxSteps = int(rng.bounded(50));
                o.constraints << QString::number(step);
                command = new SetOptimizerCommand(m_doc.get(), o);
                break;
            }
            case 9: {
                // A few nodes at a time, so the graph stays the size of a real one.
                QStringList selection;
                for (int k = 0, count = 1 + int(rng.bounded(3)); k < count && ids.size() < 40;
                     ++k) {
                    const QString id = anyId();
                    if (!selection.contains(id))
                        selection << id;
                }
                if (!selection.isEmpty()) {
                    const auto nodes = Clipboard::fromJsonText(
                        Clipboard::toJsonText(m_doc->pipeline(), selection));
                    command = new PasteNodesCommand(m_doc.get(), nodes, QPointF(15, 15));
                }
                break;
            }
            case 10:
                command = new SetPipelineSettingsCommand(
                    m_doc.get(), SetPipelineSettingsCommand::Setting::Objective, anyId());
                break;
            }
            if (!command)
                continue;
            m_stack->push(command);
            ++pushed;
            snapshots.insert(m_stack->index(), dump(m_doc->toJson()));
        }
        QVERIFY(pushed > 300);
        QVERIFY(m_stack->count() > 100);
        const QByteArray final = dump(m_doc->toJson());
        QVERIFY(final != start);
        while (m_stack->canUndo()) {
            m_stack->undo();
            QCOMPARE(dump(m_doc->toJson()), snapshots.value(m_stack->index()));
        }
        QCOMPARE(dump(m_doc->toJson()), start);
        while (m_stack->canRedo()) {
            m_stack->redo();
            QCOMPARE(dump(m_doc->toJson()), snapshots.value(m_stack->index()));
        }
        QCOMPARE(dump(m_doc->toJson()), final);
    }
};

QTEST_MAIN(TestUndoCommands)
#include "tst_undocommands.moc"
