#include "providers/SseParser.h"

using namespace Qt::StringLiterals;

QVector<SseEvent> SseParser::feed(const QByteArray &chunk)
{
    QVector<SseEvent> out;
    if (chunk.isEmpty())
        return out;
    qsizetype start = 0;
    if (m_pendingCr && chunk.at(0) == '\n')
        start = 1;   // the LF of a CRLF split across chunks
    m_pendingCr = false;
    for (qsizetype i = start; i < chunk.size(); ++i) {
        const char c = chunk.at(i);
        if (c != '\n' && c != '\r')
            continue;
        m_buffer.append(chunk.constData() + start, i - start);
        processLine(m_buffer, &out);
        m_buffer.clear();
        if (c == '\r') {
            if (i + 1 < chunk.size()) {
                if (chunk.at(i + 1) == '\n')
                    ++i;
            } else {
                m_pendingCr = true;
            }
        }
        start = i + 1;
    }
    // Kept as bytes: a UTF-8 sequence cut by the chunk boundary is decoded once whole.
    m_buffer.append(chunk.constData() + start, chunk.size() - start);
    return out;
}

void SseParser::processLine(const QByteArray &line, QVector<SseEvent> *out)
{
    if (line.isEmpty()) {
        // A blank line dispatches the event; one without data lines is dropped, as browsers do.
        if (m_hasData)
            out->append({m_event, m_data});
        m_event.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return;   // comment (often a keep-alive)
    const qsizetype colon = line.indexOf(':');
    const QByteArray field = colon < 0 ? line : line.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_data += u'\n';
        m_data += QString::fromUtf8(value);
        m_hasData = true;
    } else if (field == "event") {
        m_event = QString::fromUtf8(value);
    }
    // id and retry only matter to reconnecting browsers; a completion is never resumed.
}
