#include "MainWindow.h"
#include "graph/GraphScene.h"
#include "graph/NodeItem.h"
#include "project/ExampleCatalog.h"
#include "project/ProjectController.h"
#include "window/Appearance.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"textgrad-workbench"_s);
    QApplication::setOrganizationName(u"textgrad-workbench"_s);
    QApplication::setApplicationDisplayName(u"TextGrad Workbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(TEXTGRAD_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"TextGrad Workbench: optimize LLM pipeline prompts with textual gradients."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"project"_s, u"A project file (.tgdb) to open."_s, u"[project]"_s);
    const QCommandLineOption example(u"example"_s,
        u"Open a bundled example as a new project (e.g. support-summary/summary); \"new\" opens an empty one."_s, u"ID"_s);
    const QCommandLineOption theme(u"theme"_s, u"Force a look for this session: system, light or dark."_s,
        u"THEME"_s);
    // For documentation and visual review: render the window once, save it, quit.
    const QCommandLineOption screenshot(u"screenshot"_s, u"Save a PNG of the main window to FILE and exit."_s, u"FILE"_s);
    const QCommandLineOption tab(u"tab"_s,
        u"Show a tab of the workspace at start (Pipeline, Curves, Critiques, ...); with --screenshot."_s,
        u"NAME"_s);
    const QCommandLineOption select(u"select"_s,
        u"Select a node at start, so the inspector and rubric show it; with --screenshot."_s, u"NODE"_s);
    const QCommandLineOption raise(u"raise"_s,
        u"Bring a panel to the front at start (Dataset, Rubric, Problems, Runs, Engines, ...)."_s,
        u"PANEL"_s);
    parser.addOptions({ example, theme, screenshot, tab, select, raise });
    parser.process(app);

    Appearance::Mode mode = Appearance::stored();
    if (parser.isSet(theme) && !Appearance::fromName(parser.value(theme), &mode)) {
        std::fprintf(stderr, "textgrad-workbench: unknown theme \"%s\" (system, light, dark)\n",
            qPrintable(parser.value(theme)));
        return 2;
    }
    Appearance::apply(mode);

    MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        window.project()->openPath(parser.positionalArguments().constFirst());
    } else if (parser.isSet(example) && parser.value(example) == u"new"_s) {
        window.project()->newProject();
    } else if (parser.isSet(example)) {
        bool found = false;
        for (const ExampleInfo &e : ExampleCatalog::all()) {
            if (e.id == parser.value(example)) {
                found = window.project()->newFromExample(e);
                break;
            }
        }
        if (!found) {
            QStringList ids;
            for (const ExampleInfo &e : ExampleCatalog::all())
                ids << e.id;
            std::fprintf(stderr, "textgrad-workbench: no example \"%s\"; there are: %s\n",
                qPrintable(parser.value(example)), qPrintable(ids.join(u", "_s)));
            return 2;
        }
    }
    if (parser.isSet(tab)) {
        QTabWidget *tabs = window.workspace();
        for (int i = 0; i < tabs->count(); ++i) {
            if (tabs->tabText(i).remove(u'&').compare(parser.value(tab), Qt::CaseInsensitive) == 0)
                tabs->setCurrentIndex(i);
        }
    }
    if (parser.isSet(select)) {
        if (NodeItem *item = window.scene()->nodeItem(parser.value(select)))
            item->setSelected(true);
    }
    if (parser.isSet(raise)) {
        for (QDockWidget *dock : window.findChildren<QDockWidget *>()) {
            if (dock->windowTitle().compare(parser.value(raise), Qt::CaseInsensitive) == 0) {
                dock->show();
                dock->raise();
            }
        }
    }
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(1500, &window, [&window, path] {
            const bool ok = window.grab().save(path, "PNG");
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
