#include "history/PromptBlame.h"

#include <QMultiHash>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

bool endsSentence(QChar c)
{
    return c == u'.' || c == u'!' || c == u'?' || c == u'…';
}

bool closesSentence(QChar c)
{
    return endsSentence(c) || c == u'"' || c == u'\'' || c == u')' || c == u']' || c == u'\u201d'
        || c == u'\u2019' || c == u'\u00bb';
}

QHash<QString, int> wordCounts(const QString &text)
{
    QHash<QString, int> counts;
    QString word;
    const auto flush = [&] {
        if (!word.isEmpty())
            ++counts[word];
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            word += c.toLower();
        else
            flush();
    }
    flush();
    return counts;
}

} // namespace

PromptBlame::PromptBlame(const QVector<Version> &versions)
    : m_versions(versions)
{
}

QVector<PromptBlame::Version> PromptBlame::fromNodeVersions(const QVector<NodeVersion> &versions)
{
    QVector<Version> out;
    out.reserve(versions.size());
    for (const NodeVersion &v : versions)
        out.append(Version { v.version.step, v.version.previous, v.version.value, v.accepted });
    return out;
}

QString PromptBlame::initialValue() const
{
    return m_versions.isEmpty() ? QString() : m_versions.first().previous;
}

int PromptBlame::currentIndex() const
{
    for (int i = int(m_versions.size()) - 1; i >= 0; --i) {
        if (m_versions.at(i).accepted)
            return i;
    }
    return -1;
}

QStringList PromptBlame::splitSentences(const QString &text)
{
    QStringList raw;
    const int n = int(text.size());
    int start = 0;
    int i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        int cut = -1;
        if (c == u'\n') {
            cut = i;
        } else if (endsSentence(c)) {
            int j = i + 1;
            while (j < n && closesSentence(text.at(j)))
                ++j;
            if (j == n || text.at(j).isSpace())
                cut = j - 1;
            else
                i = j - 1;
        }
        if (cut >= 0) {
            int j = cut + 1;
            while (j < n && text.at(j).isSpace())
                ++j;
            raw.append(text.mid(start, j - start));
            start = i = j;
        } else {
            ++i;
        }
    }
    if (start < n)
        raw.append(text.mid(start));

    // Blank pieces (leading blank lines) join their neighbour: every piece holds a sentence.
    QStringList pieces;
    QString carry;
    for (const QString &piece : std::as_const(raw)) {
        if (piece.trimmed().isEmpty()) {
            if (pieces.isEmpty())
                carry += piece;
            else
                pieces.last() += piece;
            continue;
        }
        pieces.append(carry + piece);
        carry.clear();
    }
    if (!carry.isEmpty())
        pieces.append(carry);
    return pieces;
}

QString PromptBlame::normalized(const QString &sentence)
{
    QString s = sentence.simplified().toLower();
    // List markers and closing punctuation are layout, not wording.
    int from = 0;
    while (from < s.size() && (s.at(from) == u'-' || s.at(from) == u'*' || s.at(from) == u'•'))
        ++from;
    int digits = from;
    while (digits < s.size() && s.at(digits).isDigit())
        ++digits;
    if (digits > from && digits < s.size() && (s.at(digits) == u'.' || s.at(digits) == u')'))
        from = digits + 1;
    int to = int(s.size());
    while (to > from && (s.at(to - 1).isPunct() || s.at(to - 1).isSpace()))
        --to;
    return s.mid(from, to - from).trimmed();
}

double PromptBlame::similarity(const QString &a, const QString &b)
{
    const QHash<QString, int> wa = wordCounts(a);
    const QHash<QString, int> wb = wordCounts(b);
    int na = 0;
    int nb = 0;
    int common = 0;
    for (auto it = wa.cbegin(); it != wa.cend(); ++it) {
        na += it.value();
        common += qMin(it.value(), wb.value(it.key()));
    }
    for (auto it = wb.cbegin(); it != wb.cend(); ++it)
        nb += it.value();
    if (na + nb == 0)
        return 1.0;
    return 2.0 * common / double(na + nb);
}

QVector<BlameSentence> PromptBlame::initialBlame(const QString &text) const
{
    QVector<BlameSentence> out;
    int offset = 0;
    const QStringList pieces = splitSentences(text);
    for (const QString &piece : pieces) {
        BlameSentence s;
        s.text = piece;
        s.start = offset;
        s.origin = BlameSentence::Origin::Initial;
        offset += int(piece.size());
        out.append(s);
    }
    return out;
}

QVector<BlameSentence> PromptBlame::blameAgainst(
    const QString &value, int step, const QVector<BlameSentence> &base) const
{
    QVector<BlameSentence> out = initialBlame(value);
    QVector<bool> used(base.size(), false);
    QVector<bool> matched(out.size(), false);

    QMultiHash<QString, int> byText;
    for (int i = int(base.size()) - 1; i >= 0; --i) // values() lists the last inserted first
        byText.insert(normalized(base.at(i).text), i);

    for (int i = 0; i < out.size(); ++i) {
        const QList<int> candidates = byText.values(normalized(out.at(i).text));
        for (const int j : candidates) {
            if (used.at(j))
                continue;
            used[j] = true;
            matched[i] = true;
            out[i].step = base.at(j).step;
            out[i].firstStep = base.at(j).firstStep;
            out[i].origin = base.at(j).origin == BlameSentence::Origin::Initial
                ? BlameSentence::Origin::Initial
                : BlameSentence::Origin::Carried;
            break;
        }
    }
    for (int i = 0; i < out.size(); ++i) {
        if (matched.at(i))
            continue;
        int best = -1;
        double bestScore = kFuzzyThreshold;
        for (int j = 0; j < base.size(); ++j) {
            if (used.at(j))
                continue;
            const double score = similarity(out.at(i).text, base.at(j).text);
            if (score >= bestScore) {
                best = j;
                bestScore = score;
                if (score >= 1.0)
                    break;
            }
        }
        out[i].step = step;
        if (best >= 0) {
            used[best] = true;
            out[i].firstStep = base.at(best).firstStep;
            out[i].origin = BlameSentence::Origin::Revised;
        } else {
            out[i].firstStep = step;
            out[i].origin = BlameSentence::Origin::New;
        }
    }
    return out;
}

QVector<BlameSentence> PromptBlame::blameVersion(int index) const
{
    if (index < 0 || index >= m_versions.size())
        return initialBlame(initialValue());
    if (const auto it = m_cache.constFind(index); it != m_cache.constEnd())
        return it.value();

    // Forward from the first version not yet blamed; a version's base is the latest earlier
    // version whose value is its previous value.
    QHash<QString, int> latestWithValue;
    for (int k = 0; k <= index; ++k) {
        const Version &v = m_versions.at(k);
        if (!m_cache.contains(k)) {
            const auto base = latestWithValue.constFind(v.previous);
            const QVector<BlameSentence> baseBlame = base == latestWithValue.constEnd()
                ? initialBlame(v.previous)
                : m_cache.value(base.value());
            m_cache.insert(
                k, v.value == v.previous ? baseBlame : blameAgainst(v.value, v.step, baseBlame));
        }
        // A rejected candidate's text took no effect; it stands in only for a value no
        // accepted version produced.
        if (v.accepted || !latestWithValue.contains(v.value))
            latestWithValue.insert(v.value, k);
    }
    return m_cache.value(index);
}

QVector<int> PromptBlame::stepsOf(const QVector<BlameSentence> &sentences)
{
    QVector<int> steps;
    for (const BlameSentence &s : sentences) {
        if (s.step > 0 && !steps.contains(s.step))
            steps.append(s.step);
    }
    std::sort(steps.begin(), steps.end());
    return steps;
}

void PromptBlame::attachCritiques(
    QVector<BlameSentence> &sentences, const QVector<GradientRecord> &gradients)
{
    QHash<int, QVector<GradientRecord>> byStep;
    for (const GradientRecord &g : gradients)
        byStep[g.step].append(g);
    for (BlameSentence &s : sentences)
        s.critiques = s.step > 0 ? byStep.value(s.step) : QVector<GradientRecord>();
}
