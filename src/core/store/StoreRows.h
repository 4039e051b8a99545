#pragma once

#include "providers/ChatTypes.h"
#include "store/RunRecords.h"
#include "store/RunStore.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <type_traits>
#include <utility>

// Mapping between store rows and the record structs. Each record type has one column list,
// and its binder and reader walk that list in order, so an INSERT and a SELECT built from the
// same list cannot drift apart. The value conventions keep the file readable from the sqlite3
// shell: JSON as text, NaN scores as NULL, UTC ISO 8601 times, call purposes by name.
namespace StoreRows {

// Binds values positionally, in column-list order.
class Binder {
public:
    explicit Binder(QSqlQuery &query)
        : m_query(query)
    {
    }
    Binder &operator<<(const QVariant &value)
    {
        m_query.bindValue(m_index++, value);
        return *this;
    }
    // Qt binds a null QString as SQL NULL; the text columns are NOT NULL with '' for "none".
    Binder &operator<<(const QString &text)
    {
        using namespace Qt::StringLiterals;
        return *this << QVariant(text.isNull() ? u""_s : text);
    }

private:
    QSqlQuery &m_query;
    int m_index = 0;
};

// Reads the current row's values in column-list order.
class Cursor {
public:
    explicit Cursor(const QSqlQuery &query)
        : m_query(query)
    {
    }
    QVariant next() { return m_query.value(m_index++); }
    QString text() { return next().toString(); }
    int integer() { return next().toInt(); }
    qint64 int64() { return next().toLongLong(); }
    bool flag() { return next().toInt() != 0; }
    double score();
    QDateTime time();
    QJsonObject object();
    QJsonArray array();

private:
    const QSqlQuery &m_query;
    int m_index = 0;
};

// Every remaining row of an executed query, each read by read(Cursor &): the read side of
// insertEach.
template <typename Read>
auto readEach(QSqlQuery &q, Read read)
{
    QVector<std::decay_t<decltype(read(std::declval<Cursor &>()))>> rows;
    while (q.next()) {
        Cursor c(q);
        rows.append(read(c));
    }
    return rows;
}

QString purposeName(CallPurpose purpose);
// Unknown names (a file edited by hand) read as Forward and return false.
bool purposeFromName(const QString &name, CallPurpose *purpose);

QVariant scoreValue(double score);
QVariant timeValue(const QDateTime &time);
QString nowText();
QString jsonText(const QJsonObject &object);
QString jsonText(const QJsonArray &array);
QJsonObject mapToJson(const QMap<QString, QString> &map);
QMap<QString, QString> mapFromJson(const QJsonObject &object);

QString insertSql(const QString &table, const QStringList &columns);
QString selectSql(const QString &table, const QStringList &columns);

// Run columns without the data blob; runDataColumn() is read after them when wanted.
const QStringList &runColumns();
QString runDataColumn();
void bindRun(Binder &b, const RunInfo &run); // runColumns() + data
RunInfo readRun(Cursor &c, bool withData);

const QStringList &stepColumns(); // after run_id
void bindStep(Binder &b, const StepRecord &step);
StepRecord readStep(Cursor &c);

const QStringList &versionColumns(); // after run_id
void bindVersion(Binder &b, const PromptVersion &version);
PromptVersion readVersion(Cursor &c);

const QStringList &sampleColumns(); // after run_id, owner_step
void bindSample(Binder &b, const SampleResult &sample);
SampleResult readSample(Cursor &c);

const QStringList &gradientColumns(); // after run_id
void bindGradient(Binder &b, const GradientRecord &gradient);
GradientRecord readGradient(Cursor &c);

const QStringList &eventColumns(); // after run_id, owner_step
void bindEvent(Binder &b, const RunEvent &event);
RunEvent readEvent(Cursor &c);

const QStringList &callColumns(); // includes run_id (it is in the tag)
void bindCall(Binder &b, const CallRecord &call);
CallRecord readCall(Cursor &c);
// Every remaining row of a query over callColumns() followed by the row id, for views that page.
QVector<StoredCall> readStoredCalls(QSqlQuery &q);

} // namespace StoreRows
