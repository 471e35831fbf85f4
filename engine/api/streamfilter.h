#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QStringList>

namespace Shivx {

// What one /api/stream client asked for (docs/http-api.md, "Live stream"): the kinds of
// message, and glob patterns ('*', '?') on sample series and on target names. An empty
// pattern list matches every name; kinds default to all four. Immutable once parsed.
class StreamFilter
{
public:
    // Every kind, no patterns: everything.
    StreamFilter();

    // Reads "kinds", "series" and "targets" of a client's message; keys it does not know
    // (such as "token") are ignored. The error names the key and what was wrong.
    static Result<StreamFilter> fromJson(const QJsonObject &message);

    static const QStringList &allKinds(); // "sample", "target", "alert", "audit"

    bool wantsKind(const QString &kind) const { return m_kinds.contains(kind); }
    // `name` is a sample's series for "sample", the target for "target"; other kinds carry
    // no name and pass once their kind is wanted.
    bool wants(const QString &kind, const QString &name) const;

    // The filter as the acknowledgement echoes it.
    QJsonObject toJson() const;

private:
    QStringList m_kinds;
    QStringList m_seriesGlobs;
    QStringList m_targetGlobs;
    QList<QRegularExpression> m_series;
    QList<QRegularExpression> m_targets;
};

} // namespace Shivx
