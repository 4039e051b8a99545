#include "ProgressPrinter.h"

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

void writeErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

QString score(double s)
{
    return hasScore(s) ? QString::number(s, 'f', 3) : u"-"_s;
}

} // namespace

ProgressPrinter::ProgressPrinter(bool quiet)
    : m_tty(isatty(fileno(stderr)) == 1)
    , m_quiet(quiet)
{
    m_throttle.start();
}

ProgressPrinter::~ProgressPrinter()
{
    clearLine();
}

void ProgressPrinter::clearLine()
{
    if (m_tty && m_lineOpen) {
        writeErr(u"\r\033[K"_s);
        m_lineOpen = false;
    }
}

void ProgressPrinter::progress(const RunProgress &p)
{
    m_totalSteps = p.totalSteps;
    if (m_quiet || !m_tty)
        return;
    // Redraw at most ~20 times a second; the terminal is not the bottleneck we want.
    if (p.phase != u"done"_s && p.done != 0 && p.done != p.total && m_throttle.elapsed() < 50)
        return;
    m_throttle.restart();
    if (p.phase == u"done"_s) {
        clearLine();
        return;
    }
    constexpr int width = 24;
    const double fraction = p.totalSteps > 0 ? double(qMax(0, p.step - 1)) / p.totalSteps : 0.0;
    const int filled = int(fraction * width);
    const QString bar = QString(filled, u'#') + QString(width - filled, u'.');
    const QString phase = p.total > 0 ? u"%1 %2/%3"_s.arg(p.phase).arg(p.done).arg(p.total) : p.phase;
    writeErr(u"\r\033[K[%1] step %2/%3  %4  calls %5  best val %6"_s.arg(bar).arg(p.step).arg(p.totalSteps)
                 .arg(phase).arg(p.calls).arg(score(p.bestValScore)));
    m_lineOpen = true;
}

void ProgressPrinter::stepFinished(const StepRecord &step)
{
    if (m_quiet)
        return;
    clearLine();
    writeErr(u"step %1/%2: train %3  val %4  %5\n"_s.arg(step.step).arg(m_totalSteps)
                 .arg(score(step.trainScore), score(step.valScore),
                      step.accepted ? u"accepted"_s : u"rejected (reverted)"_s));
}

void ProgressPrinter::message(const QString &text)
{
    if (m_quiet)
        return;
    clearLine();
    writeErr(text + u'\n');
}
