#include "data/DatasetSplit.h"

#include "data/DatasetLoader.h"

#include <QJsonValue>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString located(const Dataset &data, int line, const QString &message)
{
    return data.sourcePath + u":"_s + QString::number(line) + u": "_s + message;
}

Dataset emptyLike(const Dataset &data)
{
    Dataset d;
    d.sourcePath = data.sourcePath;
    d.columns = data.columns;
    return d;
}

// Fills the three datasets from rowSplits, keeping file order inside each split: a split read
// back in the order of the file is easier to check against it, and training shuffles anyway.
void distribute(const Dataset &data, SplitResult *result)
{
    result->train = emptyLike(data);
    result->validation = emptyLike(data);
    result->test = emptyLike(data);
    for (int i = 0; i < data.rows.size(); ++i) {
        switch (result->rowSplits.at(i)) {
        case DataSplit::Train:
            result->train.rows << data.rows.at(i);
            break;
        case DataSplit::Validation:
            result->validation.rows << data.rows.at(i);
            break;
        case DataSplit::Test:
            result->test.rows << data.rows.at(i);
            break;
        case DataSplit::None:
            break;
        }
    }
}

} // namespace

int SplitResult::count(DataSplit split) const
{
    switch (split) {
    case DataSplit::Train:
        return train.size();
    case DataSplit::Validation:
        return validation.size();
    case DataSplit::Test:
        return test.size();
    case DataSplit::None:
        return int(std::count(rowSplits.cbegin(), rowSplits.cend(), DataSplit::None));
    }
    return 0;
}

QJsonObject SplitSettings::toJson() const
{
    QJsonObject json;
    json[u"mode"_s] = mode == Mode::Column ? u"column"_s : u"ratios"_s;
    json[u"train"_s] = ratios.train;
    json[u"validation"_s] = ratios.validation;
    json[u"test"_s] = ratios.test;
    // As text: a JSON number is a double and would round seeds above 2^53.
    json[u"seed"_s] = QString::number(seed);
    json[u"column"_s] = column;
    return json;
}

SplitSettings SplitSettings::fromJson(const QJsonObject &json)
{
    SplitSettings s;
    s.mode = json.value(u"mode"_s).toString() == u"column" ? Mode::Column : Mode::Ratios;
    s.ratios.train = json.value(u"train"_s).toDouble(s.ratios.train);
    s.ratios.validation = json.value(u"validation"_s).toDouble(s.ratios.validation);
    s.ratios.test = json.value(u"test"_s).toDouble(s.ratios.test);
    s.seed = json.value(u"seed"_s).toString().toULongLong();
    s.column = json.value(u"column"_s).toString();
    return s;
}

bool SplitSettings::operator==(const SplitSettings &o) const
{
    return mode == o.mode && ratios.train == o.ratios.train
        && ratios.validation == o.ratios.validation && ratios.test == o.ratios.test
        && seed == o.seed && column == o.column;
}

namespace DatasetSplit {

QVector<int> sizesFor(int n, const SplitRatios &ratios)
{
    const double r[3] = { ratios.train, ratios.validation, ratios.test };
    const double sum = r[0] + r[1] + r[2];
    if (r[0] < 0 || r[1] < 0 || r[2] < 0 || !(sum > 0) || n < 0)
        return {};
    QVector<int> sizes(3, 0);
    double remainders[3];
    int assigned = 0;
    for (int k = 0; k < 3; ++k) {
        const double exact = n * r[k] / sum;
        sizes[k] = int(std::floor(exact));
        remainders[k] = exact - sizes[k];
        assigned += sizes[k];
    }
    // Largest remainder; ties go to the earlier split so the result does not depend on sorting.
    while (assigned < n) {
        int best = 0;
        for (int k = 1; k < 3; ++k)
            if (remainders[k] > remainders[best])
                best = k;
        ++sizes[best];
        remainders[best] = -1;
        ++assigned;
    }
    // A split asked for must not come out empty (a 5% test split of 10 rows rounds to 0): take
    // the row from the largest split, as long as that one keeps at least one.
    for (int k = 0; k < 3; ++k) {
        if (r[k] > 0 && sizes[k] == 0) {
            const int largest = int(std::max_element(sizes.cbegin(), sizes.cend()) - sizes.cbegin());
            if (sizes[largest] > 1) {
                --sizes[largest];
                ++sizes[k];
            }
        }
    }
    return sizes;
}

SplitResult byRatios(const Dataset &data, const SplitRatios &ratios, quint64 seed)
{
    SplitResult result;
    const int n = data.size();
    const QVector<int> sizes = sizesFor(n, ratios);
    if (sizes.isEmpty()) {
        result.ok = false;
        result.errors << u"split ratios must not be negative and must not all be zero"_s;
        result.rowSplits.fill(DataSplit::None, n);
        distribute(data, &result);
        return result;
    }
    result.rowSplits.resize(n);
    const QVector<int> order = seededShuffle(n, seed);
    for (int i = 0; i < n; ++i) {
        const DataSplit split = i < sizes[0] ? DataSplit::Train
            : i < sizes[0] + sizes[1]        ? DataSplit::Validation
                                             : DataSplit::Test;
        result.rowSplits[order[i]] = split;
    }
    distribute(data, &result);
    return result;
}

SplitResult byColumn(const Dataset &data, const QString &column)
{
    SplitResult result;
    result.rowSplits.fill(DataSplit::None, data.size());
    if (!data.columns.contains(column)) {
        result.ok = false;
        result.errors << data.sourcePath + u": no column \""_s + column
                + u"\" to split by (the file has: "_s + data.columns.join(u", "_s) + u")"_s;
        distribute(data, &result);
        return result;
    }
    for (int i = 0; i < data.rows.size(); ++i) {
        const DataRow &row = data.rows.at(i);
        const QString value = row.fields.value(column);
        if (const auto split = splitFromName(value)) {
            result.rowSplits[i] = *split;
        } else {
            result.errors << located(data, row.line,
                u"unknown split \""_s + value + u"\" in column \""_s + column
                    + u"\" (use train, validation or test)"_s);
        }
    }
    distribute(data, &result);
    return result;
}

SplitResult apply(const Dataset &data, const SplitSettings &settings)
{
    return settings.mode == SplitSettings::Mode::Column ? byColumn(data, settings.column)
                                                        : byRatios(data, settings.ratios, settings.seed);
}

std::optional<DataSplit> splitFromName(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v == u"train" || v == u"training")
        return DataSplit::Train;
    if (v == u"validation" || v == u"val" || v == u"valid" || v == u"dev")
        return DataSplit::Validation;
    if (v == u"test" || v == u"testing")
        return DataSplit::Test;
    return std::nullopt;
}

QString splitName(DataSplit split)
{
    switch (split) {
    case DataSplit::Train:
        return u"train"_s;
    case DataSplit::Validation:
        return u"validation"_s;
    case DataSplit::Test:
        return u"test"_s;
    case DataSplit::None:
        break;
    }
    return QString();
}

Dataset joined(const Dataset &train, const Dataset &validation, const Dataset &test,
    const QString &column, SplitSettings *settings)
{
    Dataset all;
    const QList<std::pair<const Dataset *, DataSplit>> parts = { { &train, DataSplit::Train },
        { &validation, DataSplit::Validation }, { &test, DataSplit::Test } };
    for (const auto &[part, split] : parts) {
        for (const QString &name : part->columns) {
            if (!all.columns.contains(name))
                all.columns << name;
        }
        for (DataRow row : part->rows) {
            row.fields.insert(column, splitName(split));
            all.rows << row;
        }
    }
    if (!all.rows.isEmpty())
        all.columns << column;
    if (settings) {
        settings->mode = SplitSettings::Mode::Column;
        settings->column = column;
    }
    return all;
}

} // namespace DatasetSplit
