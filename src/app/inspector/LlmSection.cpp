#include "inspector/LlmSection.h"

#include "graph/PipelineDocument.h"
#include "inspector/ErrorColor.h"
#include "inspector/ReferenceCombo.h"
#include "inspector/TemplateHighlighter.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>

using namespace Qt::StringLiterals;

LlmSection::LlmSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);

    m_engine = new ReferenceCombo(this);
    m_engine->setObjectName(u"engine"_s);
    form->addRow(tr("&Engine:"), m_engine);

    m_template = new QPlainTextEdit(this);
    m_template->setObjectName(u"template"_s);
    m_template->setPlaceholderText(tr("The user message. {name} inserts the input connected to "
                                      "port “name”; {{ and }} are literal braces. Empty: every "
                                      "input is sent under its name."));
    m_template->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_template->setMinimumHeight(m_template->fontMetrics().lineSpacing() * 9 + 12);
    m_template->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    routeUndoKeys(m_template);
    m_highlighter = new TemplateHighlighter(m_template->document());
    m_highlighter->setPalette(palette());
    form->addRow(makeCaption(tr("&Template:"), m_template, this));
    form->addRow(m_template);

    m_ports = new QLabel(this);
    m_ports->setObjectName(u"ports"_s);
    m_ports->setWordWrap(true);
    m_ports->setTextFormat(Qt::RichText);
    m_ports->setToolTip(tr("The node's input ports and what feeds them. Connect ports on the "
                           "canvas; “system” takes the system prompt."));
    form->addRow(m_ports);

    connect(m_engine, &ReferenceCombo::nameChosen, this, [this](const QString &name) {
        edit(u"engine"_s, [&](PipelineNode &n) { n.engine = name; });
    });
    connect(m_template, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_template->toPlainText();
        edit(u"template"_s, [&](PipelineNode &n) { n.templateText = text; });
    });
}

void LlmSection::refresh(const PipelineNode &node)
{
    m_engine->setChoices(document()->pipeline().engines.keys(), node.engine);
    QSet<QString> connected;
    for (auto it = node.inputs.cbegin(); it != node.inputs.cend(); ++it)
        connected.insert(it.key());
    // Before the text: a newly connected port is re-coloured together with any new text.
    m_highlighter->setConnectedNames(connected);
    syncText(m_template, node.templateText);
    m_ports->setText(portsText(node));
}

void LlmSection::changeEvent(QEvent *event)
{
    InspectorSection::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->setPalette(palette());
        if (const PipelineNode *node = document()->node(nodeId()))
            m_ports->setText(portsText(*node));
    }
}

QString LlmSection::portsText(const PipelineNode &node) const
{
    const QString error = errorColor(palette()).name();
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    QStringList parts;
    for (const NodePort &port : PipelineDocument::ports(node).inputs) {
        const QString name = u"<b>"_s + port.name.toHtmlEscaped() + u"</b>"_s;
        const QString source = node.inputs.value(port.name);
        if (source.isEmpty()) {
            parts << (port.required ? name + u" <span style=\"color:%1\">"_s.arg(error)
                        + tr("not connected") + u"</span>"_s
                                    : name + u" <span style=\"color:%1\">"_s.arg(muted)
                        + tr("optional") + u"</span>"_s);
        } else if (!document()->contains(source)) {
            parts << name + u" <span style=\"color:%1\">"_s.arg(error)
                    + tr("← missing node “%1”").arg(source.toHtmlEscaped()) + u"</span>"_s;
        } else if (port.unused) {
            parts << name + u" ← "_s + source.toHtmlEscaped()
                    + u" <span style=\"color:%1\">"_s.arg(muted) + tr("(unused)") + u"</span>"_s;
        } else {
            parts << name + u" ← "_s + source.toHtmlEscaped();
        }
    }
    // A port and what feeds it stay on one line; the list wraps between ports.
    for (QString &part : parts)
        part = u"<span style=\"white-space:nowrap\">"_s + part + u"</span>"_s;
    return tr("Ports: %1").arg(parts.join(u" · "_s));
}
