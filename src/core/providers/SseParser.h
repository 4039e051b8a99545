#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

// One server-sent event (the "event:" name, empty when the server sent none, and its data
// lines joined by "\n").
struct SseEvent
{
    QString event;
    QString data;
};

// Incremental parser for text/event-stream (WHATWG HTML, "Server-sent events"). Bytes may be
// fed in pieces split anywhere, including inside a line or a UTF-8 sequence: only complete
// lines are decoded. Handles LF, CRLF and CR line ends, ":" comments and multi-line data.
class SseParser
{
public:
    // The events completed by this chunk, in order.
    QVector<SseEvent> feed(const QByteArray &chunk);
    // Bytes received but not yet part of a complete event (for "ended mid-event" messages).
    bool hasPartialEvent() const { return !m_buffer.isEmpty() || m_hasData || !m_event.isEmpty(); }

private:
    void processLine(const QByteArray &line, QVector<SseEvent> *out);

    QByteArray m_buffer;      // an incomplete line
    bool m_pendingCr = false; // the last chunk ended with CR: a following LF belongs to it
    QString m_event;
    QString m_data;
    bool m_hasData = false;
};
