#include "datasets/SplitControls.h"

#include "datasets/WarningColor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {

constexpr int kColumnMode = 1;

QSpinBox *percentBox(const QString &name, const QString &tip)
{
    auto *box = new QSpinBox;
    box->setObjectName(name);
    box->setRange(0, 100);
    box->setSuffix(u" %"_s);
    box->setToolTip(tip);
    box->setAccelerated(true);
    return box;
}

} // namespace

SplitControls::SplitControls(QWidget *parent)
    : QWidget(parent)
{
    m_mode = new QComboBox;
    m_mode->setObjectName(u"splitMode"_s);
    m_mode->addItem(tr("Split by ratios"));
    m_mode->addItem(tr("Split by column"));
    m_mode->setToolTip(tr("How rows are divided into train, validation and test"));

    m_train = percentBox(u"trainPercent"_s, tr("Share of rows the optimizer learns from"));
    m_validation = percentBox(u"validationPercent"_s,
                              tr("Share of rows that decide whether a new prompt is kept"));
    m_test = percentBox(u"testPercent"_s, tr("Share of rows held back for the final score"));
    m_sum = new QLabel;
    m_sum->setObjectName(u"ratioSum"_s);
    m_seed = new QSpinBox;
    m_seed->setObjectName(u"seed"_s);
    m_seed->setRange(0, INT_MAX);
    m_seed->setToolTip(tr("The same seed always gives the same split"));

    m_ratioControls = new QWidget;
    auto *ratios = new QHBoxLayout(m_ratioControls);
    ratios->setContentsMargins(0, 0, 0, 0);
    ratios->addWidget(new QLabel(tr("Train")));
    ratios->addWidget(m_train);
    ratios->addSpacing(6);
    ratios->addWidget(new QLabel(tr("Validation")));
    ratios->addWidget(m_validation);
    ratios->addSpacing(6);
    ratios->addWidget(new QLabel(tr("Test")));
    ratios->addWidget(m_test);
    ratios->addWidget(m_sum);
    ratios->addSpacing(12);
    ratios->addWidget(new QLabel(tr("Seed")));
    ratios->addWidget(m_seed);

    m_column = new QComboBox;
    m_column->setObjectName(u"splitColumn"_s);
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_column->setToolTip(tr("Values: train, validation (val, dev) or test; any case"));
    m_columnControls = new QWidget;
    auto *byColumn = new QHBoxLayout(m_columnControls);
    byColumn->setContentsMargins(0, 0, 0, 0);
    byColumn->addWidget(new QLabel(tr("Column")));
    byColumn->addWidget(m_column);

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_mode);
    row->addSpacing(6);
    row->addWidget(m_ratioControls);
    row->addWidget(m_columnControls);

    setSettings(SplitSettings());
    connect(m_mode, &QComboBox::currentIndexChanged, this, &SplitControls::updateVisibility);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &SplitControls::settingsChanged);
    for (QSpinBox *box : { m_train, m_validation, m_test }) {
        connect(box, &QSpinBox::valueChanged, this, &SplitControls::updateVisibility);
        connect(box, &QSpinBox::valueChanged, this, &SplitControls::settingsChanged);
    }
    connect(m_seed, &QSpinBox::valueChanged, this, &SplitControls::settingsChanged);
    connect(m_column, &QComboBox::currentIndexChanged, this, &SplitControls::settingsChanged);
}

SplitSettings SplitControls::settings() const
{
    SplitSettings s;
    s.mode = m_mode->currentIndex() == kColumnMode ? SplitSettings::Mode::Column
                                                   : SplitSettings::Mode::Ratios;
    s.ratios = { m_train->value() / 100.0, m_validation->value() / 100.0, m_test->value() / 100.0 };
    s.seed = quint64(m_seed->value());
    s.column = m_column->currentText();
    return s;
}

void SplitControls::setSettings(const SplitSettings &settings)
{
    const QSignalBlocker b1(m_mode), b2(m_train), b3(m_validation), b4(m_test), b5(m_seed),
        b6(m_column);
    m_mode->setCurrentIndex(settings.mode == SplitSettings::Mode::Column ? kColumnMode : 0);
    m_train->setValue(qRound(settings.ratios.train * 100));
    m_validation->setValue(qRound(settings.ratios.validation * 100));
    m_test->setValue(qRound(settings.ratios.test * 100));
    // The spin box stops at INT_MAX; larger stored seeds are shown clamped.
    m_seed->setValue(int(std::min<quint64>(settings.seed, INT_MAX)));
    if (!settings.column.isEmpty())
        m_column->setCurrentText(settings.column);
    updateVisibility();
}

void SplitControls::setColumns(const QStringList &columns)
{
    const QSignalBlocker block(m_column);
    const QString previous = m_column->currentText();
    m_column->clear();
    m_column->addItems(columns);
    if (columns.contains(previous)) {
        m_column->setCurrentText(previous);
        return;
    }
    // A dataset that names its splits most likely wants to be split that way; the mode stays
    // as the user left it, only the column is ready.
    for (const QString &c : columns)
        if (c.compare(u"split"_s, Qt::CaseInsensitive) == 0)
            m_column->setCurrentText(c);
}

void SplitControls::updateVisibility()
{
    const bool byColumn = m_mode->currentIndex() == kColumnMode;
    m_ratioControls->setVisible(!byColumn);
    m_columnControls->setVisible(byColumn);
    // Shares that do not add up to 100 % are scaled (DatasetSplit normalises); say so, since
    // "60 / 20 / 10" silently meaning 67 / 22 / 11 would surprise.
    const int sum = m_train->value() + m_validation->value() + m_test->value();
    m_sum->setVisible(sum != 100);
    QPalette p = m_sum->palette();
    p.setColor(QPalette::WindowText, warningColor(palette()));
    m_sum->setPalette(p);
    m_sum->setText(sum == 0 ? tr("all zero: nothing to split")
                            : tr("sum %1 %, scaled to 100 %").arg(sum));
}
