#include "metrics/Metrics.h"

#include <QRegularExpression>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

// The explanation is read by the backward engine next to the full conversation; a long
// prediction repeated in it only costs tokens.
QString shown(const QString &text)
{
    constexpr int kMax = 300;
    QString s = text.size() > kMax ? text.left(kMax) + u"…"_s : text;
    return u"\""_s + s + u"\""_s;
}

QString scoreText(double score)
{
    return u"so the score is "_s + QString::number(score) + u"."_s;
}

bool normalises(const MetricOptions &o)
{
    return !o.caseSensitive || o.normalizeWhitespace || o.stripPunctuation;
}

QString afterNormalisation(const MetricOptions &o)
{
    return normalises(o) ? u" (after normalisation)"_s : QString();
}

QRegularExpression::PatternOptions regexOptions(const MetricOptions &o)
{
    return o.caseSensitive ? QRegularExpression::NoPatternOption
                           : QRegularExpression::CaseInsensitiveOption;
}

// The first group that took part in the match (alternations leave the others empty), else the
// whole match.
QString firstCapture(const QRegularExpressionMatch &m, int captureCount)
{
    for (int i = 1; i <= captureCount; ++i) {
        if (m.capturedStart(i) >= 0)
            return m.captured(i);
    }
    return m.captured(0);
}

// The last number written in the text: "1,234" is one thousand two hundred and thirty-four,
// "-5" is negative unless the minus joins two numbers ("3-5" ends in 5).
std::optional<double> lastNumber(const QString &text)
{
    static const QRegularExpression number(
        u"(?<![0-9A-Za-z_.])([-+\u2212]?)((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|\\.\\d+)"_s);
    std::optional<double> last;
    auto it = number.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        QString digits = m.captured(2);
        digits.remove(u',');
        bool ok = false;
        double value = digits.toDouble(&ok);
        if (!ok)
            continue;
        const QString sign = m.captured(1);
        if (sign == u"-" || sign == u"\u2212")
            value = -value;
        last = value;
    }
    return last;
}

QString describeOptions(const MetricOptions &o)
{
    QStringList parts;
    parts << (o.caseSensitive ? u"case-sensitive"_s : u"case-insensitive"_s);
    if (o.normalizeWhitespace)
        parts << u"white space collapsed"_s;
    if (o.stripPunctuation)
        parts << u"punctuation at either end ignored"_s;
    if (!o.answerPattern.isEmpty())
        parts << u"comparing the answer the pattern /"_s + o.answerPattern
                     + u"/ extracts from the prediction"_s;
    return u" ("_s + parts.join(u", "_s) + u")"_s;
}

MetricResult fail(const QString &error)
{
    MetricResult r;
    r.error = error;
    r.explanation = error;
    return r;
}

} // namespace

namespace Metrics {

QStringList kinds()
{
    return { u"exact_match"_s, u"contains"_s, u"regex"_s, u"numeric"_s };
}

QString normalize(const QString &text, const MetricOptions &options, bool isPrediction)
{
    QString s = text;
    if (isPrediction && !options.answerPattern.isEmpty()) {
        const QRegularExpression re(options.answerPattern, regexOptions(options));
        const QRegularExpressionMatch m = re.match(text);
        // No match means no answer was given; comparing the whole text instead would hide that.
        s = m.hasMatch() ? firstCapture(m, re.captureCount()) : QString();
    }
    if (options.normalizeWhitespace)
        s = s.simplified();
    if (options.stripPunctuation) {
        qsizetype begin = 0, end = s.size();
        // A sign or decimal point that starts a number is part of it ("-5", ".5"), not punctuation.
        const auto startsNumber = [&s](qsizetype i) {
            const QChar c = s.at(i);
            return (c == u'-' || c == u'+' || c == u'.' || c == u'\u2212') && i + 1 < s.size()
                && s.at(i + 1).isDigit();
        };
        while (begin < end && (s.at(begin).isPunct() || s.at(begin).isSpace()) && !startsNumber(begin))
            ++begin;
        while (end > begin && (s.at(end - 1).isPunct() || s.at(end - 1).isSpace()))
            --end;
        s = s.mid(begin, end - begin);
    }
    if (!options.caseSensitive)
        s = s.toCaseFolded();
    return s;
}

MetricResult evaluate(const PipelineNode &node, const QString &prediction, const QString &reference)
{
    const MetricOptions &o = node.metricOptions;
    MetricResult r;

    if (!o.answerPattern.isEmpty()) {
        const QRegularExpression re(o.answerPattern, regexOptions(o));
        if (!re.isValid())
            return fail(u"The answer pattern /"_s + o.answerPattern
                        + u"/ is not a valid regular expression: "_s + re.errorString());
        if (!re.match(prediction).hasMatch()) {
            r.explanation = u"No answer in the expected form (matching /"_s + o.answerPattern
                + u"/) was found in the prediction, "_s + scoreText(0);
            return r;
        }
    }
    const QString subject = o.answerPattern.isEmpty()
        ? u"The prediction "_s
        : u"The answer extracted from the prediction, "_s;
    const QString comma = o.answerPattern.isEmpty() ? QString() : u","_s;

    if (node.metric == u"exact_match") {
        const QString p = normalize(prediction, o, true);
        const QString ref = normalize(reference, o, false);
        r.score = p == ref ? 1.0 : 0.0;
        r.explanation = subject + shown(p) + comma
            + (r.score > 0 ? u" matches the reference "_s : u" does not match the reference "_s)
            + shown(ref) + u" exactly"_s + afterNormalisation(o) + u", "_s + scoreText(r.score);
        return r;
    }

    if (node.metric == u"contains") {
        const QString p = normalize(prediction, o, true);
        const QString ref = normalize(reference, o, false);
        if (ref.isEmpty()) {
            r.explanation = u"The reference answer is empty, so there is nothing to look for; "_s
                + scoreText(0);
            return r;
        }
        r.score = p.contains(ref) ? 1.0 : 0.0;
        r.explanation = subject + shown(p) + comma
            + (r.score > 0 ? u" contains the reference "_s : u" does not contain the reference "_s)
            + shown(ref) + afterNormalisation(o) + u", "_s + scoreText(r.score);
        return r;
    }

    if (node.metric == u"regex") {
        const QRegularExpression re(node.pattern, regexOptions(o));
        if (node.pattern.isEmpty())
            return fail(u"The regex metric has no pattern."_s);
        if (!re.isValid())
            return fail(u"The pattern /"_s + node.pattern + u"/ is not a valid regular expression: "_s
                        + re.errorString());
        const QString text = o.answerPattern.isEmpty() ? prediction : normalize(prediction, o, true);
        const QRegularExpressionMatch m = re.match(text);
        if (!m.hasMatch()) {
            r.explanation = subject + shown(text) + comma + u" does not match the pattern /"_s
                + node.pattern + u"/, "_s + scoreText(0);
            return r;
        }
        if (re.captureCount() > 0 && !reference.trimmed().isEmpty()) {
            MetricOptions compare = o;
            compare.answerPattern.clear();
            const QString captured = normalize(firstCapture(m, re.captureCount()), compare, false);
            const QString ref = normalize(reference, compare, false);
            r.score = captured == ref ? 1.0 : 0.0;
            r.explanation = u"The pattern /"_s + node.pattern + u"/ captured "_s + shown(captured)
                + u" from the prediction, which "_s
                + (r.score > 0 ? u"equals"_s : u"does not equal"_s) + u" the reference "_s
                + shown(ref) + afterNormalisation(compare) + u", "_s + scoreText(r.score);
            return r;
        }
        r.score = 1.0;
        r.explanation = subject + shown(text) + comma + u" matches the pattern /"_s + node.pattern
            + u"/, "_s + scoreText(1);
        return r;
    }

    if (node.metric == u"numeric") {
        const QString text = o.answerPattern.isEmpty() ? prediction : normalize(prediction, o, true);
        const std::optional<double> ref = lastNumber(reference);
        if (!ref) {
            r.explanation = u"The reference "_s + shown(reference)
                + u" contains no number to compare with, "_s + scoreText(0);
            return r;
        }
        const QString refText = QString::number(*ref, 'g', 15);
        const std::optional<double> p = lastNumber(text);
        if (!p) {
            r.explanation = subject + shown(text) + comma
                + u" contains no number, but the reference answer is "_s + refText + u", "_s
                + scoreText(0);
            return r;
        }
        const QString pText = QString::number(*p, 'g', 15);
        // A little slack for decimal text that binary doubles cannot hold exactly (0.1 + 0.2).
        const double slack = node.tolerance + 1e-9 * std::max(1.0, std::fabs(*ref));
        r.score = std::fabs(*p - *ref) <= slack ? 1.0 : 0.0;
        const QString within = node.tolerance > 0
            ? u" (within a tolerance of "_s + QString::number(node.tolerance) + u")"_s
            : QString();
        r.explanation = u"The last number in the prediction, "_s + pText + u", "_s
            + (r.score > 0 ? u"equals"_s : u"does not equal"_s) + u" the reference "_s + refText
            + within + u", "_s + scoreText(r.score);
        return r;
    }

    return fail(u"Unknown metric \""_s + node.metric + u"\"."_s);
}

QString purpose(const PipelineNode &node)
{
    if (!node.purpose.trimmed().isEmpty())
        return node.purpose;
    const MetricOptions &o = node.metricOptions;
    if (node.metric == u"exact_match")
        return u"Checks whether the prediction equals the reference answer exactly"_s
            + describeOptions(o) + u"."_s;
    if (node.metric == u"contains")
        return u"Checks whether the prediction contains the reference answer"_s
            + describeOptions(o) + u"."_s;
    if (node.metric == u"regex")
        return u"Checks the prediction against the regular expression /"_s + node.pattern
            + u"/; when the pattern has a capture group and there is a reference answer, the "
              "captured text must equal it."_s;
    if (node.metric == u"numeric")
        return u"Checks whether the last number in the prediction equals the number in the "
               "reference answer"_s
            + (node.tolerance > 0
                   ? u" within a tolerance of "_s + QString::number(node.tolerance)
                   : QString())
            + u"."_s;
    return u"Scores the prediction against the reference answer."_s;
}

} // namespace Metrics
