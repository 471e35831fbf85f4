#include "integrity/integritychecker.h"

#include "integrity/pathwalker.h"

#include <algorithm>

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
    for (FileState &f : walked.files) {
        if (!needsContent(f))
            continue;
        const auto it = baseline.files.constFind(f.path);
        if (options.mode == IntegrityMode::Fast && it != baseline.files.constEnd()
            && unchangedForFastMode(*it, f)) {
            f.sha256 = it->sha256;
            continue;
        }
        targets.append(&f);
    }
    if (!hashAll(targets, options, result))
        return false;
    if (options.phase)
        options.phase(QStringLiteral("comparing"), 0, 0);
    result->differences = compare(baseline.files, walked.files);
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
    QList<IntegrityDifference> out;
    qsizetype recorded = 0;
    for (const FileState &now : current) {
        const auto it = baseline.constFind(now.path);
        if (it == baseline.constEnd()) {
            out.append({ IntegrityDifference::Kind::Added, now.path, now.set, 0, {}, now });
            continue;
        }
        ++recorded;
        const quint32 changed = compareStates(*it, now);
        if (changed)
            out.append(
                { IntegrityDifference::Kind::Changed, now.path, now.set, changed, *it, now });
    }
    // Every record was seen (the usual case): nothing was removed, no need to know which.
    if (recorded < baseline.size()) {
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

} // namespace Shivx
