#pragma once

#include "core/result.h"
#include "integrity/filestate.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Shivx {

// The recorded state of every covered path, keyed by absolute path.
struct Baseline
{
    QHash<QString, FileState> files;
    qint64 createdMs = 0; // first `integrity init`
    qint64 updatedMs = 0; // last write (init or accept)
};

// The baseline on disk: an SQLite file of its own (DATA/integrity/baseline.db), apart from the
// engine's database, so that its bytes, and therefore its SHA-256, change only when the
// baseline does (docs/integrity.md, docs/storage.md). Reads open it read-only; an update
// writes a complete new file beside it, fsyncs it and renames it over the old one, so a kill
// at any moment leaves either the old or the new baseline, never a mixture.
// Not thread-safe per instance; instances on different threads may share a path (each opens
// its own connection).
class BaselineStore
{
public:
    explicit BaselineStore(QString path);

    static QString pathIn(const QString &dataDir); // DATA/integrity/baseline.db

    QString path() const { return m_path; }
    bool exists() const;
    // Lowercase hex SHA-256 of the file's bytes. Error integrity.baseline_unreadable.
    Result<QByteArray> digest() const;
    // Reads every record. Errors name the file: integrity.baseline_unreadable (not an SQLite
    // file, a damaged one, one without our tables).
    Result<Baseline> load() const;
    // Replaces the baseline with `baseline` atomically; returns the new file's digest (hex).
    // Leftover temporary files of an update that was killed are removed first.
    // Error integrity.baseline_write (names the path and why).
    Result<QByteArray> write(const Baseline &baseline);

private:
    QString m_path;
};

} // namespace Shivx
