#pragma once

#include <QStringList>

// The projects opened lately, newest first, kept in the application's settings. Paths that no
// longer exist are dropped when the list is read, so menus never offer a dead entry.
class RecentProjects
{
public:
    static constexpr int kMaxEntries = 8;

    static QStringList list();
    static void add(const QString &path);
    static void remove(const QString &path);
    static void clear();
};
