#include "inspector/JudgeSection.h"

#include "graph/PipelineDocument.h"
#include "inspector/ReferenceCombo.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

JudgeSection::JudgeSection(PipelineDocument *document, QUndoStack *undoStack, QWidget *parent)
    : InspectorSection(document, undoStack, parent)
{
    QFormLayout *form = makeForm(this);

    m_engine = new ReferenceCombo(this);
    m_engine->setObjectName(u"engine"_s);
    m_engine->setToolTip(tr("The engine that reads the inputs and scores them against the "
                            "rubric. A strong model makes a steadier judge."));
    form->addRow(tr("&Engine:"), m_engine);

    m_rubric = new QLabel(this);
    m_rubric->setObjectName(u"rubricSummary"_s);
    m_rubric->setWordWrap(true);
    // In the field column without a label: a wrapped label beside a form label is given too
    // little height.
    form->addRow(static_cast<QWidget *>(nullptr), m_rubric);

    form->addRow(static_cast<QWidget *>(nullptr),
        makeNote(tr("The rubric (criteria, weights, scale) is edited in the Rubric "
                    "panel."),
            this));
    m_openRubric = new QPushButton(tr("Edit &rubric…"), this);
    m_openRubric->setObjectName(u"openRubric"_s);
    form->addRow(static_cast<QWidget *>(nullptr), m_openRubric);

    connect(m_engine, &ReferenceCombo::nameChosen, this, [this](const QString &name) {
        edit(u"engine"_s, [&](PipelineNode &n) { n.engine = name; });
    });
    connect(m_openRubric, &QPushButton::clicked, this,
        [this] { emit rubricEditorRequested(nodeId()); });
}

void JudgeSection::refresh(const PipelineNode &node)
{
    m_engine->setChoices(document()->pipeline().engines.keys(), node.engine);
    const Rubric &r = node.rubric;
    QStringList names;
    for (const RubricCriterion &c : r.criteria)
        names << c.name;
    const QString scale = tr("scored %1 to %2").arg(r.scaleMin).arg(r.scaleMax);
    if (r.criteria.isEmpty())
        m_rubric->setText(tr("Rubric: no criteria yet, so the judge cannot score."));
    else if (r.criteria.size() == 1)
        m_rubric->setText(tr("Rubric: 1 criterion, %1: %2.").arg(scale, names.first()));
    else
        m_rubric->setText(tr("Rubric: %1 criteria, %2: %3.")
                              .arg(r.criteria.size())
                              .arg(scale, names.join(u", "_s)));
}
