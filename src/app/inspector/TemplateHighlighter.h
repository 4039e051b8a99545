#pragma once

#include <QPalette>
#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

// Colours the {placeholder}s of an llm template: a placeholder whose port has an input is shown
// as a reference; one without (the run would fail: "template placeholder {x} has no input") gets
// the error colour and a wavy underline. What counts as a placeholder is PromptTemplate's
// decision, so the editor and the run never disagree ({{ }} and JSON stay plain text).
class TemplateHighlighter : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit TemplateHighlighter(QTextDocument *document);

    // Placeholder names that have an input; re-highlights only when the set changes.
    void setConnectedNames(const QSet<QString> &names);
    QSet<QString> connectedNames() const { return m_connected; }
    // Colours follow the palette (a dark window needs lighter ones).
    void setPalette(const QPalette &palette);

protected:
    void highlightBlock(const QString &text) override;

private:
    void updateFormats();

    QSet<QString> m_connected;
    QPalette m_palette;
    QTextCharFormat m_known;
    QTextCharFormat m_unknown;
};
