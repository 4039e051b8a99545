#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"textgrad-workbench"_s);
    QApplication::setOrganizationName(u"textgrad-workbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(TEXTGRAD_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"TextGrad Workbench: optimize LLM pipeline prompts with textual gradients."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    // For documentation and visual review: render the window once, save it, quit.
    const QCommandLineOption screenshot(u"screenshot"_s, u"Save a PNG of the main window to FILE and exit."_s, u"FILE"_s);
    parser.addOption(screenshot);
    parser.process(app);

    MainWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(300, &window, [&window, path] {
            const bool ok = window.grab().save(path, "PNG");
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
