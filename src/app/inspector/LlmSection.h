#pragma once

#include "inspector/InspectorSection.h"

class QLabel;
class QPlainTextEdit;
class ReferenceCombo;
class TemplateHighlighter;

// An llm node: the engine it calls and its prompt template. Placeholders are highlighted as
// the user types (unconnected ones flagged), and a line under the editor lists the node's ports
// with what feeds each, so a typo in a placeholder shows up as a port with no input.
class LlmSection : public InspectorSection {
    Q_OBJECT

public:
    LlmSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent = nullptr);

    bool appliesTo(NodeType type) const override { return type == NodeType::Llm; }
    TemplateHighlighter *highlighter() const { return m_highlighter; }

protected:
    void refresh(const PipelineNode &node) override;
    void changeEvent(QEvent *event) override;

private:
    QString portsText(const PipelineNode &node) const;

    ReferenceCombo *m_engine = nullptr;
    QPlainTextEdit *m_template = nullptr;
    TemplateHighlighter *m_highlighter = nullptr;
    QLabel *m_ports = nullptr;
};
