#include "integrity/integritychecker.h"

#include "integrity/pathwalker.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace Shivx {

namespace {

bool needsContent(const FileState &f)
{
    return f.kind == FileState::Kind::Regular || f.kind == FileState::Kind::Symlink;
}

// Hashes `targets` (pointers into the caller's list) with the options' pool.
bool hashAll(QList<FileState *> targets, const IntegrityChecker::Options &o, IntegrityResult *r)
{
    qint64 bytes = 0;
    for (const FileState *f : targets)
        bytes += f->kind == FileState::Kind::Regular ? f->size : 0;
    if (o.phase)
        o.phase(QStringLiteral("hashing"), targets.size(), bytes);
    const bool complete
        = FileHasher::hash(targets, o.threads, o.cancel, o.budget, o.progress, o.tick);
    if (r) {
        r->filesHashed += targets.size();
        for (const FileState *f : std::as_const(targets))
            r->bytesHashed += f->kind == FileState::Kind::Regular ? f->size : 0;
    }
    return complete;
}

// Leaves the engine's own files out of `walked`, into `skipped`.
void dropOwnFiles(const OwnFiles *own, PathWalker::Result &walked, QStringList *skipped)
{
    if (!own || own->isEmpty())
        return;
    walked.files.removeIf([&](const FileState &f) {
        if (!own->contains(f.path, &f))
            return false;
        if (skipped)
            skipped->append(f.path);
        return true;
    });
}

// Runs body(part, begin, end) over [0, n) cut into up to `threads` parts, one on this thread.
// Below a few thousand files a thread costs more than it saves.
template <class Body> int inParallel(qsizetype n, int threads, Body body)
{
    const int parts = n < 4096 ? 1 : qBound(1, threads, 16);
    const qsizetype step = (n + parts - 1) / parts;
    std::vector<std::thread> pool;
    for (int i = 1; i < parts; ++i)
        pool.emplace_back(
            [&body, i, step, n] { body(i, qMin(n, i * step), qMin(n, (i + 1) * step)); });
    body(0, 0, qMin(n, step));
    for (std::thread &t : pool)
        t.join();
    return parts;
}

// The differences of `current` from their records (`recorded[i]` for current[i], null when
// the path has none), sorted by path. Each record is looked up once per check, by the caller.
QList<IntegrityDifference> differences(const QHash<QString, FileState> &baseline,
    const QList<FileState> &current, const std::vector<const FileState *> &recorded, int threads)
{
    std::vector<QList<IntegrityDifference>> found(size_t(qBound(1, threads, 16)));
    std::vector<qsizetype> seen(found.size(), 0);
    const int parts = inParallel(current.size(), threads, [&](int part, qsizetype b, qsizetype e) {
        QList<IntegrityDifference> &out = found[size_t(part)];
        for (qsizetype i = b; i < e; ++i) {
            const FileState &now = current.at(i);
            const FileState *before = recorded[size_t(i)];
            if (!before) {
                out.append({ IntegrityDifference::Kind::Added, now.path, now.set, 0, {}, now });
                continue;
            }
            ++seen[size_t(part)];
            if (const quint32 changed = compareStates(*before, now))
                out.append({ IntegrityDifference::Kind::Changed, now.path, now.set, changed,
                    *before, now });
        }
    });
    QList<IntegrityDifference> out;
    qsizetype recordedSeen = 0;
    for (int i = 0; i < parts; ++i) {
        out.append(std::move(found[size_t(i)]));
        recordedSeen += seen[size_t(i)];
    }
    // Every record was seen (the usual case): nothing was removed, no need to know which.
    if (recordedSeen < baseline.size()) {
        QSet<QString> present;
        present.reserve(current.size());
        for (const FileState &now : current)
            present.insert(now.path);
        for (auto it = baseline.constBegin(); it != baseline.constEnd(); ++it)
            if (!present.contains(it.key()))
                out.append({ IntegrityDifference::Kind::Removed, it.key(), it->set, 0, *it, {} });
    }
    std::sort(out.begin(), out.end(),
        [](const IntegrityDifference &a, const IntegrityDifference &b) { return a.path < b.path; });
    return out;
}

// Each walked file's record (null: none), and whether it must be read: in fast mode one whose
// size, inode and ctime match its record takes the recorded hash instead. On `threads`
// threads: a lookup in a baseline of 50,000 records is mostly cache misses.
std::vector<const FileState *> matchRecords(const Baseline &baseline, QList<FileState> &files,
    IntegrityMode mode, int threads, QList<FileState *> *targets)
{
    std::vector<const FileState *> recorded(size_t(files.size()), nullptr);
    std::vector<char> read(size_t(files.size()), 0);
    FileState *data = files.data(); // detached once here, not by each thread
    inParallel(files.size(), threads, [&](int, qsizetype b, qsizetype e) {
        for (qsizetype i = b; i < e; ++i) {
            FileState &f = data[i];
            const auto it = baseline.files.constFind(f.path);
            const FileState *record = it != baseline.files.constEnd() ? &*it : nullptr;
            recorded[size_t(i)] = record;
            if (!needsContent(f))
                continue;
            if (mode == IntegrityMode::Fast && record
                && IntegrityChecker::unchangedForFastMode(*record, f)) {
                f.sha256 = record->sha256;
                continue;
            }
            read[size_t(i)] = 1;
        }
    });
    for (qsizetype i = 0; i < files.size(); ++i)
        if (read[size_t(i)])
            targets->append(&data[i]);
    return recorded;
}

} // namespace

bool IntegrityChecker::unchangedForFastMode(const FileState &recorded, const FileState &now)
{
    return recorded.kind == now.kind && recorded.size == now.size && recorded.inode == now.inode
        && recorded.ctimeNs == now.ctimeNs && recorded.error.isEmpty();
}

QList<FileState> IntegrityChecker::scan(
    const QList<IntegrityPathSet> &sets, const Options &options, IntegrityResult *result)
{
    if (options.phase)
        options.phase(QStringLiteral("walking"), 0, 0);
    PathWalker::Result walked = PathWalker::walk(sets, options.cancel, options.threads);
    dropOwnFiles(options.own, walked, result ? &result->skipped : nullptr);
    if (result) {
        result->filesChecked = walked.files.size();
        result->walkErrors = walked.errors;
    }
    if (walked.cancelled)
        return {};
    QList<FileState *> targets;
    for (FileState &f : walked.files)
        if (needsContent(f))
            targets.append(&f);
    if (!hashAll(targets, options, result))
        return {};
    return walked.files;
}

bool IntegrityChecker::check(const QList<IntegrityPathSet> &sets, const Baseline &baseline,
    const Options &options, IntegrityResult *result)
{
    if (options.phase)
        options.phase(QStringLiteral("walking"), 0, 0);
    PathWalker::Result walked = PathWalker::walk(sets, options.cancel, options.threads);
    dropOwnFiles(options.own, walked, &result->skipped);
    result->filesChecked = walked.files.size();
    result->walkErrors = walked.errors;
    if (walked.cancelled)
        return false;
    QList<FileState *> targets;
    const std::vector<const FileState *> recorded
        = matchRecords(baseline, walked.files, options.mode, options.threads, &targets);
    if (!hashAll(targets, options, result))
        return false;
    if (options.phase)
        options.phase(QStringLiteral("comparing"), 0, 0);
    result->differences = differences(baseline.files, walked.files, recorded, options.threads);
    // A baseline made before they were skipped records them: not "removed", just not read.
    if (options.own && !options.own->isEmpty())
        result->differences.removeIf([&](const IntegrityDifference &d) {
            return d.kind == IntegrityDifference::Kind::Removed && options.own->contains(d.path);
        });
    return true;
}

QList<IntegrityDifference> IntegrityChecker::compare(
    const QHash<QString, FileState> &baseline, const QList<FileState> &current)
{
    std::vector<const FileState *> recorded(size_t(current.size()), nullptr);
    for (qsizetype i = 0; i < current.size(); ++i) {
        const auto it = baseline.constFind(current.at(i).path);
        recorded[size_t(i)] = it != baseline.constEnd() ? &*it : nullptr;
    }
    return differences(baseline, current, recorded, 1);
}

} // namespace Shivx
