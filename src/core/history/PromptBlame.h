#pragma once

#include "history/HistoryRecords.h"

#include <QHash>
#include <QString>
#include <QVector>

// One sentence of a prompt and the step that gave it its wording.
struct BlameSentence {
    enum class Origin {
        Initial, // in the value before the first step
        Carried, // same sentence as in the value it was edited from (after normalising)
        Revised, // a close match of a sentence there, reworded at `step`
        New, // written at `step`
    };

    QString text; // as it appears, with the whitespace that follows it
    int start = 0; // offset in the blamed value
    int step = 0; // the step that last changed its wording; 0 = initial value
    int firstStep = 0; // the step its earliest form appeared at (differs when Revised)
    Origin origin = Origin::Initial;
    QVector<GradientRecord> critiques; // the gradients for this node at `step`
};

// Prompt blame: which step, and which critiques, put each sentence of a prompt there.
//
// Input: the versions of one parameter in step order, each with the value it was edited from
// (`previous`) and whether its step was accepted. A version's value is blamed against the
// blame of its `previous`: the latest earlier version whose value equals it (rejected
// candidates never take effect, so the next step's previous is the last accepted value), or,
// for the first version or a previous no version produced, that text as the initial value.
//
// Matching, for each sentence of the new value against the sentences of the old one:
// 1. exact: equal after normalising (case folded, runs of whitespace as one space, trailing
//    punctuation dropped) -> Carried, keeps its step;
// 2. fuzzy: the best old sentence whose words overlap by Dice coefficient >= kFuzzyThreshold on
//    the multiset of lower-cased words -> Revised at this step, firstStep inherited;
// 3. otherwise New at this step.
// Each old sentence is matched at most once, so a duplicated sentence counts as new.
//
// Sentences: text split after '.', '!' or '?' followed by whitespace, and at line breaks
// (list items and headings are sentences of their own). The pieces cover the whole value.
class PromptBlame {
public:
    static constexpr double kFuzzyThreshold = 0.6;

    struct Version {
        int step = 0;
        QString previous;
        QString value;
        bool accepted = true;
    };

    explicit PromptBlame(const QVector<Version> &versions);
    static QVector<Version> fromNodeVersions(const QVector<NodeVersion> &versions);

    int versionCount() const { return int(m_versions.size()); }
    // The blame of version `index`'s value, or of the initial value for index -1. Blames (and
    // caches) every version up to `index` on first use, so it is not thread-safe; once the last
    // version has been blamed, further calls only read the cache.
    QVector<BlameSentence> blameVersion(int index) const;
    // The value in effect after the last version: the last accepted version's value (or the
    // initial value when none was accepted), and its version index (-1: initial).
    int currentIndex() const;
    QString initialValue() const;

    // The steps a blame names (for fetching their critiques), without 0.
    static QVector<int> stepsOf(const QVector<BlameSentence> &sentences);
    // Fills each sentence's critiques from gradients of this node, by step.
    static void attachCritiques(
        QVector<BlameSentence> &sentences, const QVector<GradientRecord> &gradients);

    static QStringList splitSentences(const QString &text);
    static QString normalized(const QString &sentence);
    static double similarity(const QString &a, const QString &b);

private:
    QVector<BlameSentence> blameAgainst(
        const QString &value, int step, const QVector<BlameSentence> &base) const;
    QVector<BlameSentence> initialBlame(const QString &text) const;

    QVector<Version> m_versions;
    mutable QHash<int, QVector<BlameSentence>> m_cache;
};
