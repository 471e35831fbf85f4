#pragma once

#include "backup/backupprogress.h"
#include "backup/repository.h"

namespace Shivx::Backup {

struct VerifyOptions
{
    bool quick = false; // structure + a random sample of packs read back
    double sample = 0.1; // quick: the fraction of packs read in full (at least one)
    int threads = 2;
    Control control;
};

struct VerifyReport
{
    int snapshots = 0;
    std::uint64_t trees = 0;
    std::uint64_t dataObjects = 0; // distinct data objects the snapshots need
    int packs = 0;
    int packsRead = 0;
    std::uint64_t objectsRead = 0;
    std::uint64_t bytesRead = 0;
    QList<Error> problems; // codes: backup.tampered, backup.truncated, backup.missing, ...
    QStringList notes; // harmless findings: unindexed packs of an interrupted backup
    qint64 durationMs = 0;
    bool ok() const { return problems.isEmpty(); }
};

// Checks the repository under a shared lock: every snapshot opens, every tree it reaches
// opens and every object a file names is in the index (structure); every pack (quick: a
// sample) is read back whole, its SHA-256 checked against its name, its header authenticated
// and compared with the index, and every object in it decrypted, decompressed and checked
// against its id. Problems are collected, not stopped at. The index must be loaded.
Result<VerifyReport> runVerify(const Repository &repo, const VerifyOptions &options);

// Reads one pack file whole and checks it as above; appends problems to `report`.
void verifyPack(const Repository &repo, const Id &pack, const std::vector<PackEntry> &expected,
    VerifyReport *report);

} // namespace Shivx::Backup
