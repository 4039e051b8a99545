#include "autograd/JudgeCall.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString between(const QString &text, const QString &tag)
{
    const QRegularExpression re(u"<\\s*"_s + tag + u"\\s*>(.*?)(?:<\\s*/\\s*"_s + tag + u"\\s*>|$)"_s,
                                QRegularExpression::CaseInsensitiveOption
                                    | QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() ? m.captured(1).trimmed() : QString();
}

QString criteriaList(const Rubric &rubric)
{
    QString text;
    int n = 0;
    for (const RubricCriterion &c : rubric.criteria) {
        ++n;
        text += QString::number(n) + u". "_s + c.name + u" (weight "_s
            + QString::number(c.weight) + u"): "_s + c.description + u'\n';
        for (auto it = c.anchors.cbegin(); it != c.anchors.cend(); ++it)
            text += u"   - "_s + QString::number(it.key()) + u" means: "_s + it.value() + u'\n';
    }
    return text.trimmed();
}

QString scoreLines(const Rubric &rubric)
{
    QString lines;
    for (const RubricCriterion &c : rubric.criteria)
        lines += c.name + u": <score>\n"_s;
    return lines.trimmed();
}

} // namespace

QVector<ChatMessage> JudgeCall::buildMessages(const Rubric &rubric, const QVector<JudgeInput> &inputs,
                                              const PromptLibrary &prompts)
{
    QString rendered;
    for (const JudgeInput &in : inputs) {
        rendered += u"<"_s + in.port + u">\n"_s;
        if (!in.role.isEmpty())
            rendered += u"("_s + in.role + u")\n"_s;
        rendered += in.value + u"\n</"_s + in.port + u">\n\n"_s;
    }
    const QMap<QString, QString> values{
        {u"instructions"_s, rubric.instructions.isEmpty()
                                ? u"Evaluate the submission below against the rubric."_s
                                : rubric.instructions},
        {u"criteria"_s, criteriaList(rubric)},
        {u"scale_min"_s, QString::number(rubric.scaleMin)},
        {u"scale_max"_s, QString::number(rubric.scaleMax)},
        {u"score_lines"_s, scoreLines(rubric)},
        {u"inputs"_s, rendered.trimmed()},
    };
    return {ChatMessage{u"system"_s, prompts.render(u"judge_system"_s, values)},
            ChatMessage{u"user"_s, prompts.render(u"judge_user"_s, values)}};
}

ChatMessage JudgeCall::reminder(const Rubric &rubric)
{
    return ChatMessage{u"user"_s,
                       u"Your reply had no readable scores. Reply again with your critique in "
                       "<CRITIQUE></CRITIQUE> and exactly these lines inside <SCORES></SCORES>, each "
                       "score a number from "_s
                           + QString::number(rubric.scaleMin) + u" to "_s
                           + QString::number(rubric.scaleMax) + u":\n"_s + scoreLines(rubric)};
}

JudgeScore JudgeCall::parse(const QString &reply, const Rubric &rubric)
{
    JudgeScore result;
    result.critique = between(reply, u"CRITIQUE"_s);
    if (result.critique.isEmpty())
        result.critique = reply.trimmed();
    QString scores = between(reply, u"SCORES"_s);
    if (scores.isEmpty())
        scores = reply;

    const double span = std::max(1, rubric.scaleMax - rubric.scaleMin);
    double weighted = 0.0;
    double weights = 0.0;
    QStringList missing;
    for (const RubricCriterion &c : rubric.criteria) {
        // "Accuracy: 4", "- **Accuracy**: 4/5", "accuracy = 4.5"
        const QRegularExpression re(u"^[\\s\\-*#]*\\**"_s + QRegularExpression::escape(c.name)
                                        + u"\\**\\s*[:=]\\s*\\**\\s*(-?\\d+(?:\\.\\d+)?)"_s,
                                    QRegularExpression::CaseInsensitiveOption
                                        | QRegularExpression::MultilineOption);
        const QRegularExpressionMatch m = re.match(scores);
        if (!m.hasMatch()) {
            missing.append(c.name);
            continue;
        }
        const double raw = std::clamp(m.captured(1).toDouble(), double(rubric.scaleMin),
                                      double(rubric.scaleMax));
        result.perCriterion.insert(c.name, raw);
        weighted += c.weight * (raw - rubric.scaleMin) / span;
        weights += c.weight;
    }
    // A rubric with one criterion is often answered with a bare "Score: 4".
    if (result.perCriterion.isEmpty() && rubric.criteria.size() == 1) {
        static const QRegularExpression bare(u"score\\s*[:=]\\s*(-?\\d+(?:\\.\\d+)?)"_s,
                                             QRegularExpression::CaseInsensitiveOption);
        const QRegularExpressionMatch m = bare.match(scores);
        if (m.hasMatch()) {
            const double raw = std::clamp(m.captured(1).toDouble(), double(rubric.scaleMin),
                                          double(rubric.scaleMax));
            result.perCriterion.insert(rubric.criteria.first().name, raw);
            weighted = (raw - rubric.scaleMin) / span;
            weights = 1.0;
            missing.clear();
        }
    }
    if (weights <= 0.0) {
        result.problem = u"the judge's reply has no score for any criterion"_s;
        return result;
    }
    result.parsed = true;
    result.score = std::clamp(weighted / weights, 0.0, 1.0);
    if (!missing.isEmpty())
        result.problem = u"no score for "_s + missing.join(u", "_s) + u"; scored on the others"_s;
    return result;
}

QString JudgeCall::evaluationText(const JudgeScore &score, const QString &reply)
{
    QString text = reply.trimmed();
    if (score.parsed)
        text += u"\n\n(Overall score after weighting: "_s + QString::number(score.score, 'f', 3)
            + u" on a scale from 0 to 1.)"_s;
    return text;
}
