#pragma once

#include "graph/Rubric.h"
#include "prompts/PromptLibrary.h"
#include "providers/ChatTypes.h"

#include <QMap>
#include <QString>
#include <QVector>

// One named input the judge reads, with the role of the node that produced it.
struct JudgeInput
{
    QString port;
    QString role;
    QString value;
};

struct JudgeScore
{
    bool parsed = false;
    double score = 0.0;                  // weighted, normalised to [0, 1]
    QMap<QString, double> perCriterion;  // raw scores on the rubric's scale
    QString critique;
    QString problem;                     // why the reply could not be (fully) read
};

// Builds the judge's conversation from a rubric and reads its verdict. The judge is asked for a
// critique and one score per criterion inside <SCORES>; the weighted mean, rescaled from the
// rubric's scale to [0, 1], is the sample's score.
namespace JudgeCall {

QVector<ChatMessage> buildMessages(const Rubric &rubric, const QVector<JudgeInput> &inputs,
                                   const PromptLibrary &prompts);
// The reminder sent once when a reply carries no readable score.
ChatMessage reminder(const Rubric &rubric);
JudgeScore parse(const QString &reply, const Rubric &rubric);
// The evaluation text the backward pass criticises against.
QString evaluationText(const JudgeScore &score, const QString &reply);

} // namespace JudgeCall
