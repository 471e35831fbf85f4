#include "audit/verify/verifyreport.h"

namespace Shivx {

// Stable codes: they appear in JSON reports and scripts parse them; never translate them.
QString toString(VerifyProblem problem)
{
    switch (problem) {
    case VerifyProblem::None:
        return QStringLiteral("none");
    case VerifyProblem::HashMismatch:
        return QStringLiteral("hash_mismatch");
    case VerifyProblem::BrokenLink:
        return QStringLiteral("broken_link");
    case VerifyProblem::SeqGap:
        return QStringLiteral("seq_gap");
    case VerifyProblem::SeqRepeat:
        return QStringLiteral("seq_repeat");
    case VerifyProblem::BadJson:
        return QStringLiteral("bad_json");
    case VerifyProblem::WrongStream:
        return QStringLiteral("wrong_stream");
    case VerifyProblem::SegmentGap:
        return QStringLiteral("segment_gap");
    case VerifyProblem::SegmentHashMismatch:
        return QStringLiteral("segment_hash_mismatch");
    case VerifyProblem::MissingTail:
        return QStringLiteral("missing_tail");
    case VerifyProblem::CheckpointMismatch:
        return QStringLiteral("checkpoint_mismatch");
    case VerifyProblem::BadSignature:
        return QStringLiteral("bad_signature");
    case VerifyProblem::HeadMismatch:
        return QStringLiteral("head_mismatch");
    case VerifyProblem::IoError:
        return QStringLiteral("io_error");
    case VerifyProblem::CorruptSegment:
        return QStringLiteral("corrupt_segment");
    }
    return QStringLiteral("unknown");
}

QString toString(VerifyReport::Verdict verdict)
{
    switch (verdict) {
    case VerifyReport::Verdict::Intact:
        return QStringLiteral("intact");
    case VerifyReport::Verdict::Tampered:
        return QStringLiteral("tampered");
    case VerifyReport::Verdict::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("error");
}

std::optional<VerifyProblem> verifyProblemFromString(const QString &code)
{
    for (int i = int(VerifyProblem::None); i <= int(VerifyProblem::CorruptSegment); ++i)
        if (toString(VerifyProblem(i)) == code)
            return VerifyProblem(i);
    return std::nullopt;
}

std::optional<VerifyReport::Verdict> verdictFromString(const QString &code)
{
    for (auto v : { VerifyReport::Verdict::Intact, VerifyReport::Verdict::Tampered,
             VerifyReport::Verdict::Error })
        if (toString(v) == code)
            return v;
    return std::nullopt;
}

} // namespace Shivx
