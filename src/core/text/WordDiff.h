#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

// One run of the word-level difference between two texts.
struct DiffOp {
    enum class Kind { Equal, Delete, Insert };
    Kind kind = Kind::Equal;
    QString text;

    bool operator==(const DiffOp &other) const { return kind == other.kind && text == other.text; }
};

// Word-level diff of two prompts, for the critique history and the version comparison.
//
// Texts are split into tokens: runs of letters and digits (with inner apostrophes and hyphens,
// so "don't" and "step-by-step" stay one word), runs of whitespace, and single punctuation
// characters. The tokens are compared with Myers' O(ND) algorithm after the common prefix and
// suffix are cut off. Huge or wholly rewritten prompts stay fast: when the middle part needs
// more than maxEdits token edits, the search stops and that part is reported as one deletion
// and one insertion (correct, only less fine-grained).
//
// The ops are cleaned for reading: a change is always "delete, then insert", and whitespace
// alone between two changes joins them, so "the quick fox" -> "a slow fox" reads as
// [-the quick-][+a slow+] fox rather than four fragments.
class WordDiff {
public:
    static constexpr int kDefaultMaxEdits = 1000;

    struct Stats {
        int inserted = 0; // words (not whitespace or punctuation) inserted
        int deleted = 0;
        bool truncated = false; // the edit limit was hit somewhere
    };

    static QStringList tokenize(const QString &text);
    static QVector<DiffOp> diff(const QString &before, const QString &after,
        int maxEdits = kDefaultMaxEdits, Stats *stats = nullptr);

    // The ops as HTML: equal text escaped, deletions in <del>, insertions in <ins>, each with
    // the given inline CSS (empty: none). Newlines stay newlines: show the result in an element
    // with white-space: pre-wrap.
    static QString toHtml(const QVector<DiffOp> &ops, const QString &deleteStyle = QString(),
        const QString &insertStyle = QString());
    // The text on either side, rebuilt from the ops (a cheap consistency check).
    static QString beforeText(const QVector<DiffOp> &ops);
    static QString afterText(const QVector<DiffOp> &ops);
};
