#include "MainWindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("textgrad-workbench"));
    QApplication::setOrganizationName(QStringLiteral("textgrad-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(TEXTGRAD_VERSION));
    MainWindow window;
    window.show();
    return app.exec();
}
