#include "inspector/TemplateHighlighter.h"

#include "graph/PromptTemplate.h"
#include "inspector/ErrorColor.h"

#include <QFont>

TemplateHighlighter::TemplateHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    updateFormats();
}

void TemplateHighlighter::setConnectedNames(const QSet<QString> &names)
{
    if (names == m_connected)
        return;
    m_connected = names;
    rehighlight();
}

void TemplateHighlighter::setPalette(const QPalette &palette)
{
    m_palette = palette;
    updateFormats();
    rehighlight();
}

void TemplateHighlighter::updateFormats()
{
    // The link colour is tuned by every style for its own background, dark or light.
    m_known = QTextCharFormat();
    m_known.setForeground(m_palette.color(QPalette::Link));
    m_known.setFontWeight(QFont::DemiBold);

    const QColor error = errorColor(m_palette);
    m_unknown = QTextCharFormat();
    m_unknown.setForeground(error);
    m_unknown.setFontWeight(QFont::DemiBold);
    m_unknown.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    m_unknown.setUnderlineColor(error);
}

void TemplateHighlighter::highlightBlock(const QString &text)
{
    // A placeholder never spans a line break and no escape does either, so scanning one block
    // at a time finds exactly what scanning the whole template finds.
    const QVector<PromptTemplate::Span> spans = PromptTemplate::placeholderSpans(text);
    for (const PromptTemplate::Span &span : spans)
        setFormat(span.start, span.length, m_connected.contains(span.name) ? m_known : m_unknown);
}
