#include "CliCommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("textgrad-workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("textgrad-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TEXTGRAD_VERSION));
    return Cli::run(QCoreApplication::arguments());
}
