#include "results/ResultsCellDrawer.h"

#include "results/OutcomeColors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QStyle>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString block(const QString &text, const QPalette &palette)
{
    // A <pre> keeps line breaks; the background sets it apart from the labels around it.
    const QColor bg = palette.color(QPalette::AlternateBase);
    return u"<pre style=\"background-color:%1; white-space:pre-wrap;\">%2</pre>"_s.arg(
        bg.name(), text.isEmpty() ? u"<i>(empty)</i>"_s : esc(text));
}

QString heading(const QString &text)
{
    return u"<h4 style=\"margin-top:12px; margin-bottom:2px;\">"_s + esc(text) + u"</h4>"_s;
}

QString money(double usd)
{
    // One sample's calls cost fractions of a cent: enough decimals for two significant digits,
    // never an exponent.
    int decimals = 2;
    while (decimals < 8 && usd > 0.0 && usd < 10.0 * std::pow(10.0, -decimals))
        ++decimals;
    return u"$"_s + QString::number(usd, 'f', decimals);
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    return QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact))
        .mid(1)
        .chopped(1);
}

QString usageLine(const MatrixCellDetails &d)
{
    QStringList parts;
    parts.append(d.callsSent == 1 ? u"1 call"_s : u"%1 calls"_s.arg(d.callsSent));
    if (d.cachedCalls > 0)
        parts.append(u"%1 from the cache"_s.arg(d.cachedCalls));
    parts.append(u"%1 prompt + %2 completion tokens"_s.arg(d.promptTokens).arg(d.completionTokens));
    parts.append(u"%1 ms"_s.arg(d.latencyMs));
    if (d.unknownCostCalls > 0 && d.unknownCostCalls == d.callsSent)
        parts.append(u"cost unknown"_s);
    else if (d.unknownCostCalls > 0)
        parts.append(money(d.costUsd) + u" + %1 calls of unknown price"_s.arg(d.unknownCostCalls));
    else
        parts.append(money(d.costUsd));
    return parts.join(u" · "_s);
}

} // namespace

ResultsCellDrawer::ResultsCellDrawer(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel;
    m_title->setObjectName(u"drawerTitle"_s);
    m_title->setWordWrap(true);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);

    m_close = new QToolButton;
    m_close->setObjectName(u"drawerClose"_s);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close the details"));
    connect(m_close, &QToolButton::clicked, this, &ResultsCellDrawer::closeRequested);

    m_body = new QTextBrowser;
    m_body->setObjectName(u"drawerBody"_s);
    m_body->setOpenLinks(false);
    m_body->setFrameShape(QFrame::NoFrame);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_close, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_body, 1);
    setMinimumWidth(280);
    clear();
}

void ResultsCellDrawer::clear()
{
    m_details = MatrixCellDetails();
    m_title->setText(tr("Sample details"));
    m_body->setHtml(u"<p>"_s
        + tr("Click a cell of the matrix to see the prompt that sample "
             "received, what came back and how it was judged.")
        + u"</p>"_s);
}

void ResultsCellDrawer::showLoading(const QString &what)
{
    m_title->setText(what);
    m_body->setHtml(u"<p><i>"_s + tr("Loading…") + u"</i></p>"_s);
}

void ResultsCellDrawer::showDetails(const MatrixCellDetails &details)
{
    m_details = details;
    render();
}

void ResultsCellDrawer::render()
{
    const MatrixCellDetails &d = m_details;
    m_title->setText(
        tr("Sample %1 (line %2) · %3").arg(d.sampleIndex).arg(d.line).arg(d.columnLabel));
    m_body->setHtml(detailsHtml(d, palette()));
}

void ResultsCellDrawer::changeEvent(QEvent *event)
{
    // The blocks' backgrounds come from the palette; a theme switch redraws them.
    if (event->type() == QEvent::PaletteChange && !m_details.runId.isEmpty())
        render();
    QWidget::changeEvent(event);
}

QString ResultsCellDrawer::text() const
{
    return m_title->text() + u'\n' + m_body->toPlainText();
}

QString ResultsCellDrawer::detailsHtml(const MatrixCellDetails &d, const QPalette &palette)
{
    QString html;
    const QColor fill = outcomeFill(d.outcome, palette);
    QString verdict = outcomeName(d.outcome);
    if (d.outcome == CellOutcome::Pass || d.outcome == CellOutcome::Fail)
        verdict += u" · score %1 (pass at %2 or more)"_s.arg(
            QString::number(d.result.score, 'g', 3), QString::number(d.threshold, 'g', 3));
    html += u"<p><span style=\"background-color:%1;\">&nbsp;%2&nbsp;</span></p>"_s.arg(
        fill.isValid() ? fill.name() : palette.color(QPalette::AlternateBase).name(), esc(verdict));
    if (!d.found) {
        html += u"<p>"_s
            + esc(d.outcome == CellOutcome::Missing
                    ? QObject::tr("This sample was not evaluated in this version (a training "
                                  "batch draws only some samples).")
                    : QObject::tr("No stored result for this sample."))
            + u"</p>"_s;
        return html;
    }
    if (!d.result.error.isEmpty())
        html += heading(QObject::tr("Error")) + block(d.result.error, palette);

    if (!d.inputs.isEmpty()) {
        html += heading(QObject::tr("Inputs"));
        html += u"<table cellspacing=\"0\" cellpadding=\"2\">"_s;
        const QStringList order = d.fieldOrder.isEmpty() ? d.inputs.keys() : d.fieldOrder;
        for (const QString &name : order)
            html += u"<tr><td><b>%1</b>&nbsp;</td><td>%2</td></tr>"_s.arg(
                esc(name), esc(valueText(d.inputs.value(name))));
        html += u"</table>"_s;
    }

    // What the llm nodes produced; inputs, parameters (the version) and the objective (the
    // evaluation) are shown in their own sections.
    const QStringList outputs = d.outputNodes.isEmpty() ? d.result.outputs.keys() : d.outputNodes;
    html += heading(outputs.size() == 1 ? QObject::tr("Output") : QObject::tr("Outputs"));
    for (const QString &node : outputs) {
        if (!d.result.outputs.contains(node) || d.parameterValues.contains(node))
            continue;
        html += u"<p style=\"margin-bottom:0;\"><b>%1</b></p>"_s.arg(esc(node))
            + block(valueText(d.result.outputs.value(node)), palette);
    }

    html += heading(QObject::tr("Evaluation (why it scored so)"));
    html += block(d.result.evaluation, palette);

    html += heading(QObject::tr("Calls"));
    html += u"<p>"_s + esc(usageLine(d)) + u"</p>"_s;
    for (const CellCall &call : d.calls) {
        QStringList meta {
            call.nodeId.isEmpty() ? call.purpose : call.nodeId + u" · "_s + call.purpose, call.model
        };
        if (call.attempt > 1)
            meta.append(QObject::tr("attempt %1").arg(call.attempt));
        if (call.cached)
            meta.append(QObject::tr("from the cache"));
        meta.append(u"%1 + %2 tokens%3"_s.arg(call.promptTokens)
                        .arg(call.completionTokens)
                        .arg(call.tokensEstimated ? QObject::tr(" (estimated)") : QString()));
        meta.append(u"%1 ms"_s.arg(call.latencyMs));
        meta.append(call.costKnown ? money(call.costUsd) : QObject::tr("cost unknown"));
        html += u"<p style=\"margin-top:8px; margin-bottom:2px;\"><b>%1</b></p>"_s.arg(
            esc(meta.join(u" · "_s)));
        for (const RenderedMessage &m : call.messages)
            html += u"<p style=\"margin-bottom:0;\"><i>%1</i></p>"_s.arg(esc(m.role))
                + block(m.content, palette);
        if (!call.error.isEmpty())
            html += u"<p style=\"margin-bottom:0;\"><i>%1</i></p>"_s.arg(QObject::tr("error"))
                + block(call.error, palette);
        else
            html += u"<p style=\"margin-bottom:0;\"><i>%1</i></p>"_s.arg(QObject::tr("reply"))
                + block(call.reply, palette);
    }

    if (!d.parameterValues.isEmpty()) {
        html += heading(QObject::tr("Prompt version (%1)").arg(d.columnLabel));
        for (auto it = d.parameterValues.constBegin(); it != d.parameterValues.constEnd(); ++it)
            html += u"<p style=\"margin-bottom:0;\"><b>%1</b></p>"_s.arg(esc(it.key()))
                + block(it.value(), palette);
    }
    return html;
}
