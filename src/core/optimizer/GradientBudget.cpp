#include "optimizer/GradientBudget.h"

#include <QJsonObject>
#include <QLocale>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace {

QString number(qint64 n)
{
    // Thousands separators make the sizes in notes and markers readable at a glance.
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(n);
}

// splitmix64: tiny, well mixed, and identical on every platform and standard library, which
// std::shuffle and the std distributions are not. Runs must be reproducible from their seed.
class SplitMix64
{
public:
    explicit SplitMix64(quint64 seed) : m_state(seed) {}
    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound); the modulo bias is negligible for list-sized bounds.
    quint64 below(quint64 bound) { return next() % bound; }

private:
    quint64 m_state;
};

QString marker(qsizetype removed)
{
    return u"[... "_s + number(removed) + u" characters left out ...]"_s;
}

// Cuts `removed` characters from the middle of a text, keeping its head and tail.
QString cutMiddle(const QString &text, qsizetype removed)
{
    if (removed <= 0)
        return text;
    if (removed >= text.size())
        return marker(text.size());
    const qsizetype keep = text.size() - removed;
    const qsizetype head = (keep + 1) / 2;
    return text.left(head) + u"\n"_s + marker(removed) + u"\n"_s + text.right(keep - head);
}

// Cuts `removed` characters from the middle of a conversation seen as one stream of message
// contents, so the start (instructions, input) and the end (output, evaluation) survive.
QJsonArray cutConversation(const QJsonArray &conversation, qsizetype removed)
{
    qsizetype total = 0;
    for (const QJsonValue &v : conversation)
        total += v.toObject().value(u"content"_s).toString().size();
    removed = std::min(removed, total);
    if (removed <= 0)
        return conversation;
    const qsizetype cutStart = (total - removed) / 2;
    const qsizetype cutEnd = cutStart + removed;

    QJsonArray out;
    qsizetype offset = 0;
    bool markerPlaced = false;
    for (const QJsonValue &v : conversation) {
        QJsonObject message = v.toObject();
        const QString content = message.value(u"content"_s).toString();
        const qsizetype begin = offset;
        const qsizetype end = offset + content.size();
        offset = end;
        if (end <= cutStart || begin >= cutEnd) {
            out.append(message);
            continue;
        }
        const qsizetype localStart = std::max(cutStart, begin) - begin;
        const qsizetype localEnd = std::min(cutEnd, end) - begin;
        QString kept = content.left(localStart);
        if (!markerPlaced) {
            kept += (localStart > 0 ? u"\n"_s : QString()) + marker(removed) + u"\n"_s;
            markerPlaced = true;
        }
        kept += content.mid(localEnd);
        if (kept.trimmed().isEmpty())
            continue;   // a message swallowed whole by the cut
        message.insert(u"content"_s, kept);
        out.append(message);
    }
    return out;
}

// Shrinks one gradient until its rendering fits the budget: the conversation first (it is the
// bulk and the least specific part), the feedback itself only if it alone is too long.
GradientRecord shortenToFit(const GradientRecord &gradient, int index, int budget)
{
    qsizetype conversationChars = 0;
    for (const QJsonValue &v : gradient.conversation)
        conversationChars += v.toObject().value(u"content"_s).toString().size();

    // Cuts are always taken from the original, so each text carries one marker with the true
    // count; a few rounds absorb the length of the markers themselves.
    GradientRecord shortened = gradient;
    qsizetype fromConversation = 0;
    qsizetype fromFeedback = 0;
    for (int round = 0; round < 10; ++round) {
        const QString rendered = GradientBudget::renderGradient(shortened, index);
        if (GradientBudget::estimateTokens(rendered) <= budget)
            break;
        const qsizetype excess = rendered.size() - qsizetype(budget) * 4 + 64;
        const qsizetype take = std::min(excess, conversationChars - fromConversation);
        fromConversation += take;
        fromFeedback += excess - take;
        shortened.conversation = cutConversation(gradient.conversation, fromConversation);
        shortened.feedback = cutMiddle(gradient.feedback, fromFeedback);
    }
    return shortened;
}

} // namespace

namespace GradientBudget {

int estimateTokens(const QString &text)
{
    if (text.isEmpty())
        return 0;
    return int(std::max<qsizetype>(1, (text.size() + 3) / 4));
}

QString renderGradient(const GradientRecord &gradient, int index)
{
    QString origin;
    if (!gradient.sourceNode.isEmpty())
        origin += u"from node \""_s + gradient.sourceNode + u"\""_s;
    if (gradient.sampleIndex >= 0)
        origin += (origin.isEmpty() ? QString() : u", "_s) + u"sample "_s
                  + QString::number(gradient.sampleIndex);

    QString text = u"### Feedback "_s + QString::number(index)
                   + (origin.isEmpty() ? QString() : u" ("_s + origin + u")"_s) + u"\n"_s
                   + u"<FEEDBACK>\n"_s + gradient.feedback.trimmed() + u"\n</FEEDBACK>\n"_s;
    if (!gradient.conversation.isEmpty()) {
        text += u"<CONTEXT>\n"_s;
        for (const QJsonValue &v : gradient.conversation) {
            const QJsonObject message = v.toObject();
            text += u"["_s + message.value(u"role"_s).toString() + u"]\n"_s
                    + message.value(u"content"_s).toString().trimmed() + u"\n"_s;
        }
        text += u"</CONTEXT>\n"_s;
    }
    return text;
}

BoundedGradients sample(const QVector<GradientRecord> &gradients, int tokenBudget, quint64 seed)
{
    BoundedGradients result;
    result.total = int(gradients.size());

    // Costs are measured with each gradient's original number, an upper bound on the cost of
    // the renumbered rendering the optimizer finally sees.
    QVector<int> costs;
    costs.reserve(gradients.size());
    qint64 totalTokens = 0;
    for (int i = 0; i < gradients.size(); ++i) {
        costs.append(estimateTokens(renderGradient(gradients[i], i + 1)));
        totalTokens += costs.last();
    }

    if (tokenBudget <= 0 || totalTokens <= tokenBudget) {
        result.kept = gradients;
        result.note = u"all "_s + number(gradients.size()) + u" gradients fit (about "_s
                      + number(totalTokens) + u" tokens"_s
                      + (tokenBudget > 0 ? u"; budget "_s + number(tokenBudget) : QString())
                      + u")"_s;
        return result;
    }

    // A seeded Fisher-Yates order decides who gets in first; every gradient that still fits is
    // taken, so small ones fill the space a large one leaves.
    QVector<int> order(gradients.size());
    std::iota(order.begin(), order.end(), 0);
    SplitMix64 rng(seed);
    for (qsizetype i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[qsizetype(rng.below(quint64(i) + 1))]);

    QVector<int> chosen;
    qint64 used = 0;
    for (int i : order) {
        if (used + costs[i] <= tokenBudget) {
            chosen.append(i);
            used += costs[i];
        }
    }

    int shortened = 0;
    if (chosen.isEmpty() && !order.isEmpty()) {
        // Every gradient alone is over budget: one, shortened, beats none.
        const int i = order.first();
        const GradientRecord cut = shortenToFit(gradients[i], 1, tokenBudget);
        result.kept.append(cut);
        used = estimateTokens(renderGradient(cut, 1));
        shortened = 1;
    } else {
        std::sort(chosen.begin(), chosen.end());   // back to the caller's order
        for (int i : chosen)
            result.kept.append(gradients[i]);
    }

    result.bounded = true;
    result.note = u"kept "_s + number(result.kept.size()) + u" of "_s + number(result.total)
                  + u" gradients (about "_s + number(used) + u" of "_s + number(totalTokens)
                  + u" tokens; budget "_s + number(tokenBudget) + u")"_s
                  + (shortened ? u"; the conversation of the kept gradient was shortened in the middle"_s
                               : QString());
    return result;
}

} // namespace GradientBudget
