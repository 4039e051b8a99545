#pragma once

#include <QMap>
#include <QString>
#include <QVector>

// One criterion of a judge's rubric. Weights need not sum to one; scores are normalised.
struct RubricCriterion
{
    QString name;
    QString description;
    double weight = 1.0;
    QMap<int, QString> anchors;  // optional description of what a given level means

    bool operator==(const RubricCriterion &o) const
    {
        return name == o.name && description == o.description && weight == o.weight
            && anchors == o.anchors;
    }
};

// The loss function of an LLM judge: criteria scored on [scaleMin, scaleMax] each, combined by
// weight and normalised to [0, 1]. "instructions" is free text placed before the criteria.
struct Rubric
{
    QString instructions;
    QVector<RubricCriterion> criteria;
    int scaleMin = 1;
    int scaleMax = 5;

    bool operator==(const Rubric &o) const
    {
        return instructions == o.instructions && criteria == o.criteria
            && scaleMin == o.scaleMin && scaleMax == o.scaleMax;
    }
};
