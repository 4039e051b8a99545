#include "text/WordDiff.h"

#include <QHash>
#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c.isMark();
}

bool isWordToken(const QString &token)
{
    return !token.isEmpty() && isWordChar(token.at(0));
}

bool isBlank(const QString &text)
{
    for (const QChar c : text) {
        if (!c.isSpace())
            return false;
    }
    return !text.isEmpty();
}

// Myers' greedy forward search over token ids, keeping the furthest-reaching x of every
// diagonal after each edit count so the path can be walked back. Only diagonals -d..d exist at
// edit count d, so the trace is d^2 ints in all rather than d * (n + m).
// Returns false (and leaves ops alone) when more than maxEdits edits would be needed.
bool myers(const std::vector<int> &a, const std::vector<int> &b, int maxEdits,
    std::vector<std::pair<DiffOp::Kind, int>> *path)
{
    const int n = int(a.size());
    const int m = int(b.size());
    const int limit = std::min(maxEdits, n + m);
    const int offset = limit + 1;
    std::vector<int> v(size_t(2 * limit + 3), 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= limit && found < 0; ++d) {
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                ? v[size_t(offset + k + 1)]
                : v[size_t(offset + k - 1)] + 1;
            int y = x - k;
            while (x < n && y < m && a[size_t(x)] == b[size_t(y)]) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m)
                found = d;
        }
        trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
    }
    if (found < 0)
        return false;

    // Walk back from (n, m); ops come out in reverse. (Kind, index): index into a for Equal and
    // Delete, into b for Insert.
    int x = n;
    int y = m;
    for (int d = found; d > 0; --d) {
        const std::vector<int> &prev = trace[size_t(d - 1)];
        const auto at = [&prev, d](int k) { return prev[size_t(k + d - 1)]; };
        const int k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = at(prevK);
        // The snake ran diagonally from just after the move to (x, y).
        const int snakeStartX = down ? prevX : prevX + 1;
        while (x > snakeStartX) {
            --x;
            --y;
            path->emplace_back(DiffOp::Kind::Equal, x);
        }
        if (down) {
            --y;
            path->emplace_back(DiffOp::Kind::Insert, y);
        } else {
            --x;
            path->emplace_back(DiffOp::Kind::Delete, x);
        }
    }
    while (x > 0 && y > 0) {
        --x;
        --y;
        path->emplace_back(DiffOp::Kind::Equal, x);
    }
    std::reverse(path->begin(), path->end());
    return true;
}

void append(QVector<DiffOp> &ops, DiffOp::Kind kind, const QString &text)
{
    if (text.isEmpty())
        return;
    if (!ops.isEmpty() && ops.last().kind == kind)
        ops.last().text += text;
    else
        ops.append(DiffOp { kind, text });
}

// Groups every change as "delete, then insert" and lets whitespace between two changes join
// them (see the header).
QVector<DiffOp> readable(const QVector<DiffOp> &raw)
{
    QVector<DiffOp> out;
    QString deleted;
    QString inserted;
    bool pending = false;
    const auto flush = [&] {
        append(out, DiffOp::Kind::Delete, deleted);
        append(out, DiffOp::Kind::Insert, inserted);
        deleted.clear();
        inserted.clear();
        pending = false;
    };
    for (int i = 0; i < raw.size(); ++i) {
        const DiffOp &op = raw.at(i);
        switch (op.kind) {
        case DiffOp::Kind::Delete:
            deleted += op.text;
            pending = true;
            break;
        case DiffOp::Kind::Insert:
            inserted += op.text;
            pending = true;
            break;
        case DiffOp::Kind::Equal:
            if (pending && i + 1 < raw.size() && isBlank(op.text)) {
                deleted += op.text;
                inserted += op.text;
                break;
            }
            flush();
            append(out, DiffOp::Kind::Equal, op.text);
            break;
        }
    }
    flush();
    return out;
}

} // namespace

QStringList WordDiff::tokenize(const QString &text)
{
    QStringList tokens;
    const int n = int(text.size());
    int i = 0;
    while (i < n) {
        const QChar c = text.at(i);
        int j = i + 1;
        if (isWordChar(c)) {
            while (j < n) {
                const QChar d = text.at(j);
                if (isWordChar(d)) {
                    ++j;
                } else if ((d == u'\'' || d == u'\u2019' || d == u'-') && j + 1 < n
                    && isWordChar(text.at(j + 1))) {
                    j += 2;
                } else {
                    break;
                }
            }
        } else if (c.isSpace()) {
            while (j < n && text.at(j).isSpace())
                ++j;
        } else if (c.isHighSurrogate() && j < n && text.at(j).isLowSurrogate()) {
            ++j; // an emoji is one token, never split between two ops
        }
        tokens.append(text.mid(i, j - i));
        i = j;
    }
    return tokens;
}

QVector<DiffOp> WordDiff::diff(
    const QString &before, const QString &after, int maxEdits, Stats *stats)
{
    Stats local;
    Stats &st = stats ? *stats : local;
    st = Stats {};
    if (before == after) {
        QVector<DiffOp> same;
        append(same, DiffOp::Kind::Equal, before);
        return same;
    }

    const QStringList a = tokenize(before);
    const QStringList b = tokenize(after);

    // Tokens as ids: comparing ints in the inner loop, not strings.
    QHash<QString, int> ids;
    const auto idsOf = [&ids](const QStringList &tokens) {
        std::vector<int> out;
        out.reserve(size_t(tokens.size()));
        for (const QString &t : tokens)
            out.push_back(*ids.insert(t, ids.value(t, int(ids.size()))));
        return out;
    };
    const std::vector<int> ia = idsOf(a);
    const std::vector<int> ib = idsOf(b);

    int prefix = 0;
    while (prefix < int(ia.size()) && prefix < int(ib.size())
        && ia[size_t(prefix)] == ib[size_t(prefix)])
        ++prefix;
    int suffix = 0;
    while (suffix < int(ia.size()) - prefix && suffix < int(ib.size()) - prefix
        && ia[ia.size() - 1 - size_t(suffix)] == ib[ib.size() - 1 - size_t(suffix)])
        ++suffix;

    const std::vector<int> midA(ia.begin() + prefix, ia.end() - suffix);
    const std::vector<int> midB(ib.begin() + prefix, ib.end() - suffix);

    QVector<DiffOp> raw;
    for (int i = 0; i < prefix; ++i)
        append(raw, DiffOp::Kind::Equal, a.at(i));

    std::vector<std::pair<DiffOp::Kind, int>> path;
    if (myers(midA, midB, qMax(0, maxEdits), &path)) {
        for (const auto &[kind, index] : path) {
            const QString &token
                = kind == DiffOp::Kind::Insert ? b.at(prefix + index) : a.at(prefix + index);
            append(raw, kind, token);
            if (isWordToken(token)) {
                if (kind == DiffOp::Kind::Insert)
                    ++st.inserted;
                else if (kind == DiffOp::Kind::Delete)
                    ++st.deleted;
            }
        }
    } else {
        st.truncated = true;
        for (size_t i = 0; i < midA.size(); ++i) {
            const QString &token = a.at(prefix + int(i));
            append(raw, DiffOp::Kind::Delete, token);
            st.deleted += isWordToken(token) ? 1 : 0;
        }
        for (size_t i = 0; i < midB.size(); ++i) {
            const QString &token = b.at(prefix + int(i));
            append(raw, DiffOp::Kind::Insert, token);
            st.inserted += isWordToken(token) ? 1 : 0;
        }
    }
    for (int i = int(a.size()) - suffix; i < int(a.size()); ++i)
        append(raw, DiffOp::Kind::Equal, a.at(i));
    return readable(raw);
}

QString WordDiff::toHtml(
    const QVector<DiffOp> &ops, const QString &deleteStyle, const QString &insertStyle)
{
    const auto open = [](const QString &tag, const QString &style) -> QString {
        if (style.isEmpty())
            return u"<"_s % tag % u">"_s;
        return u"<"_s % tag % u" style=\""_s % style.toHtmlEscaped() % u"\">"_s;
    };
    QString html;
    for (const DiffOp &op : ops) {
        const QString text = op.text.toHtmlEscaped();
        switch (op.kind) {
        case DiffOp::Kind::Equal:
            html += text;
            break;
        case DiffOp::Kind::Delete:
            html += open(u"del"_s, deleteStyle) % text % u"</del>"_s;
            break;
        case DiffOp::Kind::Insert:
            html += open(u"ins"_s, insertStyle) % text % u"</ins>"_s;
            break;
        }
    }
    return html;
}

QString WordDiff::beforeText(const QVector<DiffOp> &ops)
{
    QString text;
    for (const DiffOp &op : ops) {
        if (op.kind != DiffOp::Kind::Insert)
            text += op.text;
    }
    return text;
}

QString WordDiff::afterText(const QVector<DiffOp> &ops)
{
    QString text;
    for (const DiffOp &op : ops) {
        if (op.kind != DiffOp::Kind::Delete)
            text += op.text;
    }
    return text;
}
