#include "project/RecentProjects.h"

#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"recentProjects"_s;

QStringList stored()
{
    return QSettings().value(kKey).toStringList();
}

void store(const QStringList &paths)
{
    QSettings().setValue(kKey, paths);
}

} // namespace

QStringList RecentProjects::list()
{
    QStringList alive;
    for (const QString &path : stored()) {
        if (QFileInfo(path).isFile())
            alive << path;
    }
    return alive;
}

void RecentProjects::add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = stored();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    store(paths.mid(0, kMaxEntries));
}

void RecentProjects::remove(const QString &path)
{
    QStringList paths = stored();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    store(paths);
}

void RecentProjects::clear()
{
    store({});
}
