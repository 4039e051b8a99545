#include "optimizer/ReplyParser.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

// Models write the tag in any case and sometimes pad it ("< IMPROVED_VARIABLE >").
QRegularExpression tagPattern(const QString &tag, bool closing)
{
    const QString slash = closing ? u"/\\s*"_s : QString();
    return QRegularExpression(u"<\\s*"_s + slash + QRegularExpression::escape(tag) + u"\\s*>"_s,
                              QRegularExpression::CaseInsensitiveOption);
}

// A value wrapped whole in ``` fences (often with a language hint) is the value inside them;
// fences in the middle of a value belong to it and stay.
QString stripFence(const QString &text)
{
    static const QRegularExpression fenced(u"\\A```[^\\n`]*\\n(.*)\\n?```\\z"_s,
                                           QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = fenced.match(text);
    if (!m.hasMatch())
        return text;
    const QString inner = m.captured(1);
    // Two separate fenced blocks ("```a``` text ```b```") are content, not one wrapper.
    if (inner.contains(u"\n```"_s))
        return text;
    return inner.trimmed();
}

} // namespace

namespace ReplyParser {

ParsedReply parse(const QString &reply, const QString &tag)
{
    ParsedReply result;
    if (reply.trimmed().isEmpty()) {
        result.status = ParsedReply::Status::Empty;
        return result;
    }

    const QRegularExpression openRe = tagPattern(tag, false);
    const QRegularExpression closeRe = tagPattern(tag, true);

    struct Span { qsizetype start; qsizetype end; };
    QVector<Span> opens;
    for (auto it = openRe.globalMatch(reply); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        opens.append({m.capturedStart(), m.capturedEnd()});
    }
    if (opens.isEmpty()) {
        result.status = ParsedReply::Status::MissingOpenTag;
        return result;
    }

    // Models sometimes echo the instructions (tags included) before answering, so the answer
    // is the pair opened last. When nothing follows the last opening tag but whitespace (a stray
    // trailing tag), the last complete pair before it is the answer instead. A last opening tag
    // followed by text but no closing tag is a reply cut short: that text is the value.
    auto closedValue = [&](qsizetype i, QString *out) {
        const qsizetype limit = i + 1 < opens.size() ? opens[i + 1].start : reply.size();
        const QRegularExpressionMatch close = closeRe.match(reply, opens[i].end);
        if (!close.hasMatch() || close.capturedStart() > limit)
            return false;
        *out = reply.mid(opens[i].end, close.capturedStart() - opens[i].end);
        return true;
    };
    QString value;
    bool complete = closedValue(opens.size() - 1, &value);
    if (!complete) {
        value = reply.mid(opens.last().end);
        if (value.trimmed().isEmpty()) {
            for (qsizetype i = opens.size() - 2; i >= 0 && !complete; --i)
                complete = closedValue(i, &value);
        }
    }

    value = stripFence(value.trimmed());
    if (value.isEmpty()) {
        result.status = ParsedReply::Status::Empty;
        return result;
    }
    result.status = complete ? ParsedReply::Status::Ok : ParsedReply::Status::MissingCloseTag;
    result.value = value;
    return result;
}

} // namespace ReplyParser
