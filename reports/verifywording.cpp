#include "verifywording.h"

#include <QLocale>
#include <QStringList>

namespace Shivx::Reports {

QString VerifyWording::problem(VerifyProblem p)
{
    switch (p) {
    case VerifyProblem::None:
        return tr("No problem");
    case VerifyProblem::HashMismatch:
        return tr("Hash mismatch");
    case VerifyProblem::BrokenLink:
        return tr("Broken link");
    case VerifyProblem::SeqGap:
        return tr("Missing entries");
    case VerifyProblem::SeqRepeat:
        return tr("Repeated or reordered entry");
    case VerifyProblem::BadJson:
        return tr("Unreadable entry");
    case VerifyProblem::WrongStream:
        return tr("Entry of another stream");
    case VerifyProblem::SegmentGap:
        return tr("Missing segment");
    case VerifyProblem::SegmentHashMismatch:
        return tr("Segment changed after sealing");
    case VerifyProblem::CorruptSegment:
        return tr("Corrupt compressed segment");
    case VerifyProblem::MissingTail:
        return tr("Truncated chain");
    case VerifyProblem::CheckpointMismatch:
        return tr("Checkpoint mismatch");
    case VerifyProblem::BadSignature:
        return tr("Invalid checkpoint signature");
    case VerifyProblem::HeadMismatch:
        return tr("Head file disagrees");
    case VerifyProblem::IoError:
        return tr("Read error");
    }
    return QString();
}

QString VerifyWording::problemExplanation(VerifyProblem p)
{
    switch (p) {
    case VerifyProblem::None:
        return QString();
    case VerifyProblem::HashMismatch:
        return tr(
            "The entry's content no longer matches its hash: it was changed after it was written.");
    case VerifyProblem::BrokenLink:
        return tr("The entry does not point to the hash of the entry before it: entries were "
                  "removed, inserted or replaced.");
    case VerifyProblem::SeqGap:
        return tr("Sequence numbers jump forward: entries are missing.");
    case VerifyProblem::SeqRepeat:
        return tr("A sequence number repeats or goes back: entries were duplicated or reordered.");
    case VerifyProblem::BadJson:
        return tr("The line is not a well-formed audit entry.");
    case VerifyProblem::WrongStream:
        return tr("The entry names a different stream: it was copied from elsewhere.");
    case VerifyProblem::SegmentGap:
        return tr("A segment file is missing or segments do not continue each other.");
    case VerifyProblem::SegmentHashMismatch:
        return tr("A sealed segment differs from the hash recorded when it was rotated.");
    case VerifyProblem::CorruptSegment:
        return tr("A compressed segment is not a complete, valid zstd stream: it was damaged or "
                  "cut short.");
    case VerifyProblem::MissingTail:
        return tr("The chain ends before an entry that a signed checkpoint vouches for: it was "
                  "truncated or rolled back.");
    case VerifyProblem::CheckpointMismatch:
        return tr(
            "A signed checkpoint names a hash the chain does not have at that sequence number.");
    case VerifyProblem::BadSignature:
        return tr("A checkpoint's signature does not verify with the public key.");
    case VerifyProblem::HeadMismatch:
        return tr("The head file does not agree with the last entry of the chain.");
    case VerifyProblem::IoError:
        return tr("A file could not be read, so this part of the chain is unverified.");
    }
    return QString();
}

QString VerifyWording::verdict(VerifyReport::Verdict v)
{
    switch (v) {
    case VerifyReport::Verdict::Intact:
        return tr("Intact");
    case VerifyReport::Verdict::Tampered:
        return tr("Tampered");
    case VerifyReport::Verdict::Error:
        return tr("Error");
    }
    return QString();
}

QString VerifyWording::location(const VerifyFinding &f)
{
    QStringList parts;
    if (!f.stream.isEmpty())
        parts << f.stream;
    if (!f.segment.isEmpty())
        parts << (f.line > 0 ? tr("%1 line %2").arg(f.segment).arg(f.line) : f.segment);
    QString text = parts.join(QLatin1String(", "));
    if (f.seq > 0)
        text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + tr("(seq %1)").arg(f.seq);
    return text;
}

QString VerifyWording::summary(const VerifyReport &r)
{
    // Worded without plurals of counts: the untranslated English must read well too.
    qint64 entries = 0;
    QStringList names;
    for (const StreamSummary &s : r.streams) {
        entries += s.entries;
        names << s.name;
    }
    switch (r.verdict) {
    case VerifyReport::Verdict::Intact:
        return tr("No tampering found. Entries verified: %1, in %2.")
            .arg(QLocale().toString(entries), names.join(QLatin1String(", ")));
    case VerifyReport::Verdict::Tampered: {
        if (r.findings.isEmpty())
            return tr("Tampering found.");
        QStringList affected;
        for (const VerifyFinding &f : r.findings) {
            if (!affected.contains(f.stream))
                affected << f.stream;
        }
        const VerifyFinding &f = r.findings.constFirst();
        return tr("Tampering found in %1. First problem: %2 at %3.")
            .arg(affected.join(QLatin1String(", ")), problem(f.problem), location(f));
    }
    case VerifyReport::Verdict::Error:
        return tr("Verification could not complete: %1").arg(r.errorMessage);
    }
    return QString();
}

} // namespace Shivx::Reports
