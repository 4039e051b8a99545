// The node inspector and the judge rubric panel: the right fields per node type, edits as
// merged undo steps, the widgets following undo and edits made elsewhere, refused renames, the
// template highlighter's formats, and screenshots (TEXTGRAD_SCREENSHOT_DIR) for review.
#include "GraphExamples.h"
#include "commands/RemoveNodesCommand.h"
#include "commands/SetEngineCommand.h"
#include "commands/SetNodeCommand.h"
#include "editors/RubricEditor.h"
#include "graph/PipelineDocument.h"
#include "graph/PromptTemplate.h"
#include "graph/RubricCriteriaModel.h"
#include "inspector/EditPipelineInfoCommand.h"
#include "inspector/InspectorPanel.h"
#include "inspector/IssueList.h"
#include "inspector/JudgeRubricPanel.h"
#include "inspector/LlmSection.h"
#include "inspector/ReferenceCombo.h"
#include "inspector/TemplateHighlighter.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QUndoStack>
#include <QVBoxLayout>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

QPalette darkPalette()
{
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2B, 0x2B, 0x2B));
    dark.setColor(QPalette::WindowText, QColor(0xE0, 0xE0, 0xE0));
    dark.setColor(QPalette::Base, QColor(0x1E, 0x1E, 0x1E));
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    dark.setColor(QPalette::Text, QColor(0xE0, 0xE0, 0xE0));
    dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ButtonText, QColor(0xE0, 0xE0, 0xE0));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    dark.setColor(QPalette::Highlight, QColor(0x3D, 0x6F, 0xB4));
    dark.setColor(QPalette::HighlightedText, QColor(0xFF, 0xFF, 0xFF));
    dark.setColor(QPalette::Link, QColor(0x7F, 0xB8, 0xFF));
    dark.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    dark.setColor(QPalette::ToolTipText, QColor(0xE0, 0xE0, 0xE0));
    for (QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        dark.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return dark;
}

// The format ranges the highlighter put on the block holding `needle`, and where it starts.
struct BlockFormats {
    QList<QTextLayout::FormatRange> ranges;
    int offset = -1;
};

BlockFormats formatsAt(QPlainTextEdit *edit, const QString &needle)
{
    for (QTextBlock b = edit->document()->begin(); b.isValid(); b = b.next()) {
        const int at = int(b.text().indexOf(needle));
        if (at >= 0)
            return { b.layout()->formats(), at };
    }
    return {};
}

// The format covering [start, start + length) of a block, if one range covers it exactly.
std::optional<QTextCharFormat> formatOf(const BlockFormats &f, int length)
{
    for (const QTextLayout::FormatRange &r : f.ranges) {
        if (r.start == f.offset && r.length == length)
            return r.format;
    }
    return std::nullopt;
}

} // namespace

class TestInspector : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<PipelineDocument> m_doc;
    std::unique_ptr<QUndoStack> m_stack;
    std::unique_ptr<InspectorPanel> m_panel;

    template<typename T> T *field(const QString &name) const
    {
        auto *w = m_panel->findChild<T *>(name);
        if (!w)
            qWarning("no widget %s", qPrintable(name));
        return w;
    }
    // Visible as far as the panel decides (the panel itself is not shown in most tests).
    bool shown(const QString &name) const
    {
        auto *w = m_panel->findChild<QWidget *>(name);
        return w && w->isVisibleTo(m_panel.get());
    }
    // The widget with this object name inside the section that is shown (sections reuse names
    // such as "engine").
    template<typename T> T *visibleField(const QString &name) const
    {
        for (T *w : m_panel->findChildren<T *>(name)) {
            if (w->isVisibleTo(m_panel.get()))
                return w;
        }
        qWarning("no visible widget %s", qPrintable(name));
        return nullptr;
    }
    const PipelineNode &node(const QString &id) const { return *m_doc->node(id); }

private slots:
    void init()
    {
        m_doc = std::make_unique<PipelineDocument>();
        QVector<PipelineIssue> issues;
        QVERIFY(
            m_doc->fromJson(QJsonDocument::fromJson(QByteArray(kEightNodes)).object(), &issues));
        m_stack = std::make_unique<QUndoStack>();
        m_panel = std::make_unique<InspectorPanel>(m_doc.get(), m_stack.get());
        m_panel->resize(380, 800);
    }

    void cleanup()
    {
        m_panel.reset();
        m_stack.reset();
        m_doc.reset();
    }

    void eachNodeTypeShowsItsFields_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("visible");
        QTest::addColumn<QStringList>("hidden");
        const QStringList all { u"datasetField"_s, u"value"_s, u"trainable"_s, u"constraints"_s,
            u"template"_s, u"ports"_s, u"metricKind"_s, u"tolerance"_s, u"rubricSummary"_s,
            u"selectHint"_s };
        auto row = [&](const char *name, const QString &id, const QStringList &visible) {
            QStringList hidden = all;
            hidden.removeIf([&](const QString &n) { return visible.contains(n); });
            QTest::newRow(name) << id << visible << hidden;
        };
        row("input", u"ticket"_s, { u"datasetField"_s });
        row("parameter", u"system_prompt"_s, { u"value"_s, u"trainable"_s, u"constraints"_s });
        row("llm", u"reply"_s, { u"template"_s, u"ports"_s });
        // contains reads no pattern and no tolerance
        row("metric", u"mentions_fix"_s, { u"metricKind"_s, u"caseSensitive"_s, u"purpose"_s });
        row("judge", u"tone_judge"_s, { u"rubricSummary"_s, u"openRubric"_s });
        row("pipeline", QString(), { u"selectHint"_s, u"pipelineName"_s, u"objective"_s });
    }

    void eachNodeTypeShowsItsFields()
    {
        QFETCH(QString, id);
        QFETCH(QStringList, visible);
        QFETCH(QStringList, hidden);
        m_panel->showNode(u"reply"_s); // from another node: nothing of it may linger
        m_panel->showNode(id);
        QCOMPARE(m_panel->nodeId(), id);
        for (const QString &name : visible)
            QVERIFY2(shown(name), qPrintable(name));
        for (const QString &name : hidden)
            QVERIFY2(!shown(name), qPrintable(name));
        if (!id.isEmpty()) {
            QCOMPARE(visibleField<QLineEdit>(u"nodeId"_s)->text(), id);
            QCOMPARE(visibleField<QPlainTextEdit>(u"role"_s)->toPlainText(), node(id).role);
            QCOMPARE(visibleField<QLabel>(u"nodeType"_s)->text(), nodeTypeName(node(id).type));
            QVERIFY(!visibleField<QLabel>(u"nodeTypeNote"_s)->text().isEmpty());
        }
    }

    void fieldsShowTheModel()
    {
        m_panel->setDatasetColumns({ u"ticket"_s, u"docs"_s, u"expected"_s });
        m_panel->showNode(u"ticket"_s);
        auto *column = field<QComboBox>(u"datasetField"_s);
        QCOMPARE(column->currentText(), u"ticket"_s);
        QCOMPARE(column->count(), 3);
        QVERIFY(field<QLabel>(u"columnNote"_s)->text().contains(u"column of the open dataset"_s));
        // A column the dataset lacks is said so; the edit is one undo step.
        column->lineEdit()->selectAll();
        QTest::keyClicks(column->lineEdit(), u"tickte"_s);
        QCOMPARE(node(u"ticket"_s).field, u"tickte"_s);
        QVERIFY(field<QLabel>(u"columnNote"_s)->text().contains(u"no column"_s));
        QCOMPARE(m_stack->count(), 1);

        m_panel->showNode(u"system_prompt"_s);
        QCOMPARE(
            field<QPlainTextEdit>(u"value"_s)->toPlainText(), u"You answer support tickets."_s);
        QVERIFY(field<QCheckBox>(u"trainable"_s)->isChecked());

        m_panel->showNode(u"reply"_s);
        QCOMPARE(
            field<QPlainTextEdit>(u"template"_s)->toPlainText(), node(u"reply"_s).templateText);
        QCOMPARE(visibleField<ReferenceCombo>(u"engine"_s)->currentName(), u"student"_s);
        const QString ports = field<QLabel>(u"ports"_s)->text();
        QVERIFY2(ports.contains(u"docs</b> ← product_docs"_s), qPrintable(ports));
        QVERIFY2(ports.contains(u"system</b> ← system_prompt"_s), qPrintable(ports));

        m_panel->showNode(u"tone_judge"_s);
        QCOMPARE(visibleField<ReferenceCombo>(u"engine"_s)->currentName(), u"teacher"_s);
        QVERIFY(field<QLabel>(u"rubricSummary"_s)->text().contains(u"polite"_s));
    }

    void typingIsOneUndoStepPerBurst_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("widget");
        QTest::newRow("role") << u"reply"_s << u"role"_s;
        QTest::newRow("template") << u"reply"_s << u"template"_s;
        QTest::newRow("value") << u"system_prompt"_s << u"value"_s;
    }

    void typingIsOneUndoStepPerBurst()
    {
        QFETCH(QString, id);
        QFETCH(QString, widget);
        m_panel->showNode(id);
        auto *edit = visibleField<QPlainTextEdit>(widget);
        QVERIFY(edit);
        const QString before = edit->toPlainText();
        edit->moveCursor(QTextCursor::End);
        QTest::keyClicks(edit, u" Be concise."_s);
        const QString typed = before + u" Be concise."_s;
        auto modelText = [&] {
            const PipelineNode &n = node(id);
            return widget == u"role" ? n.role : widget == u"template" ? n.templateText : n.value;
        };
        QCOMPARE(modelText(), typed);
        QCOMPARE(m_stack->count(), 1);
        QCOMPARE(edit->toPlainText(), typed);
        // The model's echo of each keystroke left the cursor where the typing was.
        QCOMPARE(edit->textCursor().position(), int(typed.size()));

        m_stack->undo();
        QCOMPARE(modelText(), before);
        QCOMPARE(edit->toPlainText(), before);
        m_stack->redo();
        QCOMPARE(edit->toPlainText(), typed);
    }

    void anEditElsewhereKeepsTheCursor()
    {
        m_panel->showNode(u"reply"_s);
        auto *tmpl = field<QPlainTextEdit>(u"template"_s);
        QTextCursor c = tmpl->textCursor();
        c.setPosition(3);
        tmpl->setTextCursor(c);
        // Another view appends to the template (say, a paste into the canvas' node).
        PipelineNode after = node(u"reply"_s);
        after.templateText += u"\nAnswer:"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), after, u"template"_s));
        QCOMPARE(tmpl->toPlainText(), after.templateText);
        QCOMPARE(tmpl->textCursor().position(), 3);
        // An undo made from the stack (the Edit menu) reaches the widget as well.
        m_stack->undo();
        QCOMPARE(tmpl->toPlainText(), u"Docs: {docs}\nTicket: {ticket}\nStyle: {style}"_s);
    }

    void undoKeyInAFieldUndoesTheDocument()
    {
        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        m_panel->setParent(&window);
        layout->addWidget(m_panel.get());
        QAction *undo = m_stack->createUndoAction(&window);
        undo->setShortcut(QKeySequence::Undo);
        window.addAction(undo);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));

        m_panel->showNode(u"reply"_s);
        auto *role = field<QPlainTextEdit>(u"role"_s);
        role->setFocus();
        role->moveCursor(QTextCursor::End);
        QTest::keyClicks(role, u"!!"_s);
        QCOMPARE(node(u"reply"_s).role, u"the reply to the customer!!"_s);
        QTest::keySequence(role, QKeySequence::Undo);
        QCOMPARE(node(u"reply"_s).role, u"the reply to the customer"_s);
        QCOMPARE(role->toPlainText(), u"the reply to the customer"_s);
        QCOMPARE(m_stack->index(), 0);
        m_panel->setParent(nullptr);
    }

    void renameIsRefusedForATakenId()
    {
        m_panel->showNode(u"reply"_s);
        auto *id = field<QLineEdit>(u"nodeId"_s);
        auto *problem = field<QLabel>(u"idProblem"_s);
        id->selectAll();
        QTest::keyClicks(id, u"ticket"_s);
        QVERIFY(problem->isVisibleTo(m_panel.get()));
        QVERIFY2(problem->text().contains(u"already"_s), qPrintable(problem->text()));
        QTest::keyClick(id, Qt::Key_Return);
        QVERIFY(m_doc->contains(u"reply"_s));
        QCOMPARE(m_stack->count(), 0);
        // The refused text stays with its reason, even when the document changes meanwhile.
        m_stack->push(new SetEngineCommand(m_doc.get(), u"spare"_s, EngineConfig()));
        QCOMPARE(id->text(), u"ticket"_s);
        QVERIFY(problem->isVisibleTo(m_panel.get()));

        id->selectAll();
        QTest::keyClick(id, Qt::Key_Backspace);
        QVERIFY(problem->text().contains(u"empty"_s));

        QTest::keyClicks(id, u"answer"_s);
        QVERIFY(!problem->isVisibleTo(m_panel.get()));
        QTest::keyClick(id, Qt::Key_Return);
        QVERIFY(m_doc->contains(u"answer"_s));
        QCOMPARE(m_panel->nodeId(), u"answer"_s);
        QCOMPARE(node(u"tone_judge"_s).inputs.value(u"reply"_s), u"answer"_s);

        m_stack->undo();
        QCOMPARE(m_panel->nodeId(), u"reply"_s);
        QCOMPARE(id->text(), u"reply"_s);
    }

    void highlighterFlagsUnknownPlaceholders()
    {
        m_panel->showNode(u"reply"_s);
        auto *tmpl = field<QPlainTextEdit>(u"template"_s);
        tmpl->moveCursor(QTextCursor::End);
        QTest::keyClicks(tmpl, u" {tone} {{literal}}"_s);
        QVERIFY(node(u"reply"_s).templateText.endsWith(u"{tone} {{literal}}"_s));

        const auto docs = formatOf(formatsAt(tmpl, u"{docs}"_s), 6);
        QVERIFY(docs);
        QCOMPARE(docs->underlineStyle(), QTextCharFormat::NoUnderline);
        const auto tone = formatOf(formatsAt(tmpl, u"{tone}"_s), 6);
        QVERIFY(tone);
        QCOMPARE(tone->underlineStyle(), QTextCharFormat::WaveUnderline);
        QVERIFY(tone->foreground().color() != docs->foreground().color());
        // An escaped brace pair is text, not a placeholder.
        QVERIFY(!formatOf(formatsAt(tmpl, u"{{literal}}"_s), 11));
        QVERIFY(!formatOf(formatsAt(tmpl, u"{literal}"_s), 9));

        // The ports line agrees: the new port has no input.
        QVERIFY2(field<QLabel>(u"ports"_s)->text().contains(u"tone</b> <span"_s),
            qPrintable(field<QLabel>(u"ports"_s)->text()));
        QVERIFY(field<QLabel>(u"ports"_s)->text().contains(u"not connected"_s));

        // Connecting the port (on the canvas) turns the placeholder into a known one.
        PipelineNode after = node(u"reply"_s);
        after.inputs.insert(u"tone"_s, u"style_guide"_s);
        m_stack->push(new SetNodeCommand(m_doc.get(), after));
        const auto connected = formatOf(formatsAt(tmpl, u"{tone}"_s), 6);
        QVERIFY(connected);
        QCOMPARE(connected->underlineStyle(), QTextCharFormat::NoUnderline);
    }

    void placeholderSpansMatchTheParser()
    {
        const QString t = u"a {x} {{y}} {z_1}{x} {\"json\": 1} { w }"_s;
        const QVector<PromptTemplate::Span> spans = PromptTemplate::placeholderSpans(t);
        QCOMPARE(spans.size(), 3);
        QCOMPARE(t.mid(spans[0].start, spans[0].length), u"{x}"_s);
        QCOMPARE(spans[1].name, u"z_1"_s);
        QCOMPARE(t.mid(spans[2].start, spans[2].length), u"{x}"_s);
        QCOMPARE(spans[2].start, 17);
    }

    void issuesAreTheCanvasMessages()
    {
        PipelineNode broken = node(u"reply"_s);
        broken.engine = u"ghost"_s;
        broken.templateText += u" {tone}"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), broken));
        // From a node without problems, in a panel on screen: the new lines must be shown.
        m_panel->showNode(u"system_prompt"_s);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_panel->showNode(u"reply"_s);
        auto *issues = visibleField<IssueList>(u"nodeIssues"_s);
        const QStringList lines = issues->lines();
        QCOMPARE(lines, m_doc->issueText(u"reply"_s).split(u'\n'));
        QCOMPARE(lines.size(), 2);
        int visibleLines = 0;
        for (QLabel *label : issues->findChildren<QLabel *>())
            visibleLines += label->isVisible() && lines.contains(label->text()) ? 1 : 0;
        QCOMPARE(visibleLines, 2);
        QVERIFY(!issues->findChild<QLabel *>(u"noIssues"_s)->isVisible());
        // The missing engine is flagged where it is chosen, too.
        auto *engine = visibleField<ReferenceCombo>(u"engine"_s);
        QVERIFY(engine->isCurrentMissing());
        QVERIFY(engine->currentText().contains(u"missing"_s));

        // Choosing an engine is one undoable step.
        emit engine->activated(engine->findData(u"student"_s));
        QCOMPARE(node(u"reply"_s).engine, u"student"_s);
        QCOMPARE(visibleField<IssueList>(u"nodeIssues"_s)->lines().size(), 1);
        m_stack->undo();
        QCOMPARE(node(u"reply"_s).engine, u"ghost"_s);
        QVERIFY(engine->isCurrentMissing());
    }

    void trainableEnablesConstraints()
    {
        m_panel->showNode(u"style_guide"_s);
        auto *trainable = field<QCheckBox>(u"trainable"_s);
        auto *list = field<QListWidget>(u"constraints"_s);
        QAbstractItemModelTester tester(
            list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!trainable->isChecked());
        QVERIFY(!list->isEnabled());
        QVERIFY(!field<QPushButton>(u"addConstraint"_s)->isEnabled());
        QVERIFY(field<QLabel>(u"constraintsNote"_s)->text().contains(u"Turn on Trainable"_s));

        trainable->click();
        QVERIFY(node(u"style_guide"_s).trainable);
        QVERIFY(list->isEnabled());
        QVERIFY(field<QPushButton>(u"addConstraint"_s)->isEnabled());

        field<QPushButton>(u"addConstraint"_s)->click();
        QCOMPARE(node(u"style_guide"_s).constraints, QStringList { u"New constraint"_s });
        QCOMPARE(list->count(), 1);
        list->item(0)->setText(u"Keep it under 50 words"_s);
        QCOMPARE(node(u"style_guide"_s).constraints, QStringList { u"Keep it under 50 words"_s });
        list->setCurrentRow(0);
        field<QPushButton>(u"removeConstraint"_s)->click();
        QVERIFY(node(u"style_guide"_s).constraints.isEmpty());
        QCOMPARE(list->count(), 0);

        // Undo walks back through the constraint edits, then the toggle.
        while (m_stack->canUndo())
            m_stack->undo();
        QVERIFY(!node(u"style_guide"_s).trainable);
        QVERIFY(node(u"style_guide"_s).constraints.isEmpty());
        QVERIFY(!trainable->isChecked());
        QVERIFY(!list->isEnabled());
    }

    void metricKindChangeIsUndoable()
    {
        m_panel->showNode(u"mentions_fix"_s);
        auto *kind = field<QComboBox>(u"metricKind"_s);
        QCOMPARE(kind->currentData().toString(), u"contains"_s);
        QVERIFY(!shown(u"pattern"_s));

        emit kind->activated(kind->findData(u"regex"_s));
        QCOMPARE(node(u"mentions_fix"_s).metric, u"regex"_s);
        QVERIFY(shown(u"pattern"_s));
        QTest::keyClicks(field<QLineEdit>(u"pattern"_s), u"refund (\\d+"_s);
        QCOMPARE(node(u"mentions_fix"_s).pattern, u"refund (\\d+"_s);
        QVERIFY(shown(u"patternProblem"_s));
        QVERIFY(field<QLabel>(u"patternProblem"_s)
                    ->text()
                    .contains(u"Not a valid regular expression"_s));
        QTest::keyClicks(field<QLineEdit>(u"pattern"_s), u")"_s);
        QVERIFY(!shown(u"patternProblem"_s));
        QCOMPARE(m_stack->count(), 2); // the kind, then one burst of pattern typing

        emit kind->activated(kind->findData(u"numeric"_s));
        QVERIFY(shown(u"tolerance"_s));
        QVERIFY(!shown(u"pattern"_s));
        field<QDoubleSpinBox>(u"tolerance"_s)->setValue(0.5);
        QCOMPARE(node(u"mentions_fix"_s).tolerance, 0.5);
        field<QCheckBox>(u"caseSensitive"_s)->click();
        QVERIFY(node(u"mentions_fix"_s).metricOptions.caseSensitive);

        while (m_stack->canUndo())
            m_stack->undo();
        QCOMPARE(node(u"mentions_fix"_s).metric, u"contains"_s);
        QCOMPARE(kind->currentData().toString(), u"contains"_s);
        QVERIFY(!shown(u"tolerance"_s));
        QVERIFY(!field<QCheckBox>(u"caseSensitive"_s)->isChecked());
        QCOMPARE(field<QDoubleSpinBox>(u"tolerance"_s)->value(), 0.0);
    }

    void pipelinePageEditsAreUndoable()
    {
        m_panel->showNode(QString());
        auto *name = field<QLineEdit>(u"pipelineName"_s);
        QCOMPARE(name->text(), u"Support answers"_s);
        QTest::keyClicks(name, u" v2"_s);
        QCOMPARE(m_doc->pipeline().name, u"Support answers v2"_s);
        QCOMPARE(m_stack->count(), 1);
        QTest::keyClicks(
            field<QPlainTextEdit>(u"pipelineDescription"_s), u"Tickets in, replies out."_s);
        QCOMPARE(m_doc->pipeline().description, u"Tickets in, replies out."_s);
        QCOMPARE(m_stack->count(), 2);

        auto *objective = field<ReferenceCombo>(u"objective"_s);
        QCOMPARE(objective->currentName(), u"tone_judge"_s);
        QCOMPARE(objective->count(), 3); // (none), mentions_fix, tone_judge
        emit objective->activated(objective->findData(u"mentions_fix"_s));
        QCOMPARE(m_doc->pipeline().objective, u"mentions_fix"_s);
        auto *backward = field<ReferenceCombo>(u"backwardEngine"_s);
        emit backward->activated(backward->findData(u"student"_s));
        QCOMPARE(m_doc->pipeline().backwardEngine, u"student"_s);

        while (m_stack->canUndo())
            m_stack->undo();
        QCOMPARE(name->text(), u"Support answers"_s);
        QVERIFY(field<QPlainTextEdit>(u"pipelineDescription"_s)->toPlainText().isEmpty());
        QCOMPARE(objective->currentName(), u"tone_judge"_s);
        QCOMPARE(backward->currentName(), u"teacher"_s);
    }

    void pipelineInfoEditsMergeOnlyWithinTheWindow()
    {
        using Field = EditPipelineInfoCommand::Field;
        m_stack->push(new EditPipelineInfoCommand(m_doc.get(), Field::Name, u"A"_s, nullptr, 1000));
        m_stack->push(
            new EditPipelineInfoCommand(m_doc.get(), Field::Name, u"AB"_s, nullptr, 2000));
        m_stack->push(
            new EditPipelineInfoCommand(m_doc.get(), Field::Description, u"d"_s, nullptr, 2100));
        m_stack->push(
            new EditPipelineInfoCommand(m_doc.get(), Field::Description, u"dd"_s, nullptr, 9000));
        QCOMPARE(m_stack->count(), 3);
        m_stack->undo();
        QCOMPARE(m_doc->pipeline().description, u"d"_s);
        m_stack->undo();
        m_stack->undo();
        QCOMPARE(m_doc->pipeline().name, u"Support answers"_s);
    }

    void removedOrRenamedNodesAreFollowed()
    {
        m_panel->showNode(u"ticket"_s);
        m_stack->push(new RemoveNodesCommand(m_doc.get(), { u"ticket"_s }));
        QVERIFY(m_panel->nodeId().isEmpty());
        QVERIFY(shown(u"selectHint"_s));
        m_stack->undo();
        QVERIFY(m_panel->nodeId().isEmpty()); // the selection is the scene's to restore

        m_panel->showNode(u"no_such_node"_s);
        QVERIFY(shown(u"selectHint"_s));
        // A new document replaces everything: the pipeline page shows the new one.
        m_panel->showNode(u"reply"_s);
        Pipeline other;
        other.name = u"Other"_s;
        m_doc->setPipeline(other);
        QVERIFY(m_panel->nodeId().isEmpty());
        QCOMPARE(field<QLineEdit>(u"pipelineName"_s)->text(), u"Other"_s);
    }

    void judgeRubricPanelRoundTrip()
    {
        JudgeRubricPanel panel(m_doc.get(), m_stack.get());
        QVERIFY(!panel.isEditing());
        QVERIFY(panel.findChild<QLabel *>(u"rubricEmptyState"_s)
                    ->text()
                    .contains(u"Select a judge node"_s));
        panel.setNode(u"reply"_s);
        QVERIFY(!panel.isEditing());

        panel.setNode(u"tone_judge"_s);
        QVERIFY(panel.isEditing());
        RubricEditor *editor = panel.rubricEditor();
        QCOMPARE(editor->rubric(), node(u"tone_judge"_s).rubric);
        // The judge's ports became sample boxes.
        QVERIFY(editor->findChild<QPlainTextEdit *>(u"sample_reply"_s));
        QVERIFY(editor->findChild<QPlainTextEdit *>(u"sample_ticket"_s));

        auto *view = editor->findChild<QTableView *>(u"criteriaView"_s);
        QAbstractItemModel *model = view->model();
        QAbstractItemModelTester tester(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model->setData(model->index(0, RubricCriteriaModel::WeightColumn), 2.5));
        QCOMPARE(node(u"tone_judge"_s).rubric.criteria.at(0).weight, 2.5);
        QCOMPARE(m_stack->count(), 1);
        QCOMPARE(m_stack->command(0)->text(), u"Edit rubric of tone_judge"_s);

        m_stack->undo();
        QCOMPARE(node(u"tone_judge"_s).rubric.criteria.at(0).weight, 1.0);
        QCOMPARE(editor->rubric().criteria.at(0).weight, 1.0);
        QCOMPARE(
            model->index(0, RubricCriteriaModel::WeightColumn).data(Qt::EditRole).toDouble(), 1.0);
        m_stack->redo();
        QCOMPARE(editor->rubric().criteria.at(0).weight, 2.5);

        // "Try it" starts on the judge's own engine.
        auto *trialEngine = editor->findChild<QComboBox *>(u"trialEngine"_s);
        QVERIFY(trialEngine);
        QCOMPARE(trialEngine->currentData().toString(), node(u"tone_judge"_s).engine);

        // Renaming the judge keeps it bound; removing it empties the panel.
        QVERIFY(m_doc->renameNode(u"tone_judge"_s, u"judge"_s));
        QCOMPARE(panel.nodeId(), u"judge"_s);
        QVERIFY(panel.isEditing());
        m_stack->push(new RemoveNodesCommand(m_doc.get(), { u"judge"_s }));
        QVERIFY(!panel.isEditing());
    }

    // Renders the inspector as a reviewer sees it, in a light and a dark palette;
    // TEXTGRAD_SCREENSHOT_DIR keeps the pictures.
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("TEXTGRAD_SCREENSHOT_DIR");
        // Something to show in each: an unknown placeholder, constraints, an answer pattern.
        PipelineNode reply = node(u"reply"_s);
        reply.templateText = u"Docs: {docs}\nTicket: {ticket}\nStyle: {style}\nTone: {tone}\n"
                             "Reply as JSON: {\"reply\": \"...\"}"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), reply));
        PipelineNode system = node(u"system_prompt"_s);
        system.value = u"You answer support tickets for a small software company. Be friendly, "
                       "name the exact menu entries, and never promise refunds."_s;
        system.constraints = { u"Stay under 120 words."_s, u"Never promise a refund or a date."_s };
        m_stack->push(new SetNodeCommand(m_doc.get(), system));
        PipelineNode metric = node(u"mentions_fix"_s);
        metric.metric = u"regex"_s;
        metric.pattern = u"(restart|reinstall"_s;
        metric.metricOptions.answerPattern = u"Fix: (.*)"_s;
        m_stack->push(new SetNodeCommand(m_doc.get(), metric));
        PipelineNode judge = node(u"tone_judge"_s);
        judge.rubric.criteria.append({ u"accurate"_s, u"the fix is right"_s, 2.0, {} });
        judge.rubric.criteria.append({ u"actionable"_s, u"says what to click"_s, 1.0, {} });
        m_stack->push(new SetNodeCommand(m_doc.get(), judge));
        m_doc->setInfo(
            m_doc->pipeline().name, u"Answers customer tickets from the product docs."_s);
        m_panel->setDatasetColumns({ u"ticket"_s, u"docs"_s, u"expected"_s });

        const std::unique_ptr<QStyle> fusion(QStyleFactory::create(u"Fusion"_s));
        QVERIFY(fusion);
        const QPalette light = fusion->standardPalette();
        m_panel->setStyle(fusion.get());
        for (const auto &[paletteName, palette] :
            { std::pair { u"light"_s, light }, std::pair { u"dark"_s, darkPalette() } }) {
            m_panel->setPalette(palette);
            for (const auto &[shot, id] : { std::pair { u"pipeline"_s, QString() },
                     std::pair { u"parameter"_s, u"system_prompt"_s },
                     std::pair { u"parameter-fixed"_s, u"style_guide"_s },
                     std::pair { u"llm"_s, u"reply"_s },
                     std::pair { u"metric"_s, u"mentions_fix"_s },
                     std::pair { u"input"_s, u"ticket"_s },
                     std::pair { u"judge"_s, u"tone_judge"_s } }) {
                m_panel->showNode(id);
                // The dock's range: the light shots at its widest, the dark ones at its narrowest.
                m_panel->resize(paletteName == u"light" ? 420 : 320, 760);
                m_panel->show();
                QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
                // Let the layouts and the text editors' scroll bars settle as they do on screen.
                QCoreApplication::processEvents();
                QCoreApplication::processEvents();
                const QPixmap pixmap = m_panel->grab();
                QVERIFY(!pixmap.isNull());
                if (!dir.isEmpty())
                    QVERIFY(pixmap.save(
                        dir + u"/inspector-"_s + shot + u'-' + paletteName + u".png"_s));
            }
        }
        // The highlighter followed the palette: in the dark, known placeholders use its link
        // colour.
        m_panel->showNode(u"reply"_s);
        const auto docs = formatOf(formatsAt(field<QPlainTextEdit>(u"template"_s), u"{docs}"_s), 6);
        QVERIFY(docs);
        QCOMPARE(docs->foreground().color(), darkPalette().color(QPalette::Link));

        JudgeRubricPanel rubric(m_doc.get(), m_stack.get());
        rubric.setStyle(fusion.get());
        rubric.setPalette(light);
        rubric.resize(700, 420);
        rubric.show();
        QVERIFY(QTest::qWaitForWindowExposed(&rubric));
        if (!dir.isEmpty())
            QVERIFY(rubric.grab().save(dir + u"/rubricpanel-empty.png"_s));
        rubric.setNode(u"tone_judge"_s);
        rubric.resize(900, 640);
        QCoreApplication::processEvents();
        if (!dir.isEmpty())
            QVERIFY(rubric.grab().save(dir + u"/rubricpanel-judge.png"_s));
        m_panel->setStyle(nullptr);
    }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
