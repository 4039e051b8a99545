#pragma once

#include <QString>

class QSqlDatabase;

// The project file's schema and how a file of any older version is brought up to date.
// Versions live in PRAGMA user_version; each migration moves the file up by one version inside
// a single write transaction, so a file is never left half-migrated.
namespace StoreSchema {

inline constexpr int kLatestVersion = 3;

// Per-connection settings every connection to a project file needs (WAL, foreign keys, ...).
bool configureConnection(QSqlDatabase &db, QString *error);

// The file's user_version, or -1 with *error set when it cannot be read (not a database, ...).
int fileVersion(QSqlDatabase &db, QString *error);

// Refuses files written by a newer build; otherwise applies the missing migrations.
bool migrate(QSqlDatabase &db, QString *error);
// Applies the migrations up to targetVersion only: tests build files exactly as an older build
// wrote them, through the very statements that build ran.
bool migrateTo(QSqlDatabase &db, int targetVersion, QString *error);

} // namespace StoreSchema
