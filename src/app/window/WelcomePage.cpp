#include "window/WelcomePage.h"

#include "ui_WelcomePage.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

WelcomePage::WelcomePage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::WelcomePage>())
{
    m_ui->setupUi(this);
    m_ui->tagline->setForegroundRole(QPalette::PlaceholderText);
    m_ui->footer->setForegroundRole(QPalette::PlaceholderText);
    m_ui->recentEmpty->setForegroundRole(QPalette::PlaceholderText);
    m_ui->newButton->setDefault(true);
    m_ui->examplesList->setToolTip(tr("Double-click to open the example as a new project"));
    m_ui->recentList->setToolTip(tr("Double-click to open"));
    connect(m_ui->newButton, &QPushButton::clicked, this, &WelcomePage::newRequested);
    connect(m_ui->openButton, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(m_ui->importButton, &QPushButton::clicked, this, &WelcomePage::importRequested);
    connect(m_ui->examplesList, &QListWidget::itemActivated, this, &WelcomePage::chooseExample);
    connect(m_ui->recentList, &QListWidget::itemActivated, this, &WelcomePage::chooseRecent);
}

WelcomePage::~WelcomePage() = default;

void WelcomePage::setExamples(const QVector<ExampleInfo> &examples)
{
    m_examples = examples;
    m_ui->examplesList->clear();
    for (int i = 0; i < examples.size(); ++i) {
        const ExampleInfo &e = examples.at(i);
        // The first sentence says what the example is; the rest is in the tooltip.
        const QString first = e.description.section(u". "_s, 0, 0).trimmed();
        auto *item = new QListWidgetItem(
            e.title + u'\n' + first + (first.endsWith(u'.') ? QString() : u"."_s));
        item->setData(Qt::UserRole, i);
        item->setToolTip(e.description);
        m_ui->examplesList->addItem(item);
    }
}

void WelcomePage::setRecentProjects(const QStringList &paths)
{
    m_ui->recentList->clear();
    for (const QString &path : paths) {
        auto *item = new QListWidgetItem(QFileInfo(path).fileName() + u'\n'
            + QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
        m_ui->recentList->addItem(item);
    }
    m_ui->recentList->setVisible(!paths.isEmpty());
    m_ui->recentEmpty->setVisible(paths.isEmpty());
}

void WelcomePage::chooseExample(QListWidgetItem *item)
{
    const int index = item ? item->data(Qt::UserRole).toInt() : -1;
    if (index >= 0 && index < m_examples.size())
        emit exampleChosen(m_examples.at(index));
}

void WelcomePage::chooseRecent(QListWidgetItem *item)
{
    if (item)
        emit recentChosen(item->data(Qt::UserRole).toString());
}
