#include "api/streamfilter.h"

#include <QJsonArray>

namespace Shivx {

namespace {

// A client sends few patterns; the cap keeps a hostile one from making every delivery slow.
constexpr int maxPatterns = 64;

Result<QStringList> stringList(const QJsonObject &message, const QString &key)
{
    const QJsonValue v = message.value(key);
    if (v.isUndefined() || v.isNull())
        return QStringList();
    if (!v.isArray())
        return makeError(
            "stream.bad_filter", QStringLiteral("%1: expected a list of strings").arg(key));
    const QJsonArray a = v.toArray();
    if (a.size() > maxPatterns)
        return makeError("stream.bad_filter",
            QStringLiteral("%1: %2 entries, at most %3").arg(key).arg(a.size()).arg(maxPatterns));
    QStringList out;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!a.at(i).isString() || a.at(i).toString().isEmpty())
            return makeError("stream.bad_filter",
                QStringLiteral("%1[%2]: expected a non-empty string").arg(key).arg(i));
        out.append(a.at(i).toString());
    }
    return out;
}

// '*' any run of characters, '?' one, everything else literal. Not Qt 6.4's
// wildcardToRegularExpression: its '*' stops at '/', which registry series have in label
// values (shivx_api_request_duration_seconds_count{route="/metrics"}).
QRegularExpression globToRegex(const QString &glob)
{
    QString re = QStringLiteral("\\A");
    for (const QChar c : glob) {
        if (c == QLatin1Char('*'))
            re += QStringLiteral(".*");
        else if (c == QLatin1Char('?'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(
        re + QStringLiteral("\\z"), QRegularExpression::DotMatchesEverythingOption);
}

QList<QRegularExpression> compile(const QStringList &globs)
{
    QList<QRegularExpression> out;
    for (const QString &g : globs)
        out.append(globToRegex(g));
    return out;
}

bool matchesAny(const QList<QRegularExpression> &patterns, const QString &name)
{
    if (patterns.isEmpty())
        return true;
    for (const QRegularExpression &p : patterns)
        if (p.match(name).hasMatch())
            return true;
    return false;
}

} // namespace

StreamFilter::StreamFilter()
    : m_kinds(allKinds())
{
}

const QStringList &StreamFilter::allKinds()
{
    static const QStringList kinds { QStringLiteral("sample"), QStringLiteral("target"),
        QStringLiteral("alert"), QStringLiteral("audit") };
    return kinds;
}

Result<StreamFilter> StreamFilter::fromJson(const QJsonObject &message)
{
    StreamFilter f;
    auto kinds = stringList(message, QStringLiteral("kinds"));
    if (!kinds)
        return kinds.error();
    for (const QString &k : *kinds)
        if (!allKinds().contains(k))
            return makeError("stream.bad_filter",
                QStringLiteral("kinds: unknown kind \"%1\" (expected %2)")
                    .arg(k.left(40), allKinds().join(QStringLiteral(", "))));
    if (!kinds->isEmpty())
        f.m_kinds = *kinds;
    auto series = stringList(message, QStringLiteral("series"));
    if (!series)
        return series.error();
    auto targets = stringList(message, QStringLiteral("targets"));
    if (!targets)
        return targets.error();
    f.m_seriesGlobs = *series;
    f.m_targetGlobs = *targets;
    f.m_series = compile(*series);
    f.m_targets = compile(*targets);
    return f;
}

bool StreamFilter::wants(const QString &kind, const QString &name) const
{
    if (!wantsKind(kind))
        return false;
    if (kind == QLatin1String("sample"))
        return matchesAny(m_series, name);
    if (kind == QLatin1String("target"))
        return matchesAny(m_targets, name);
    return true;
}

QJsonObject StreamFilter::toJson() const
{
    return { { QStringLiteral("kinds"), QJsonArray::fromStringList(m_kinds) },
        { QStringLiteral("series"), QJsonArray::fromStringList(m_seriesGlobs) },
        { QStringLiteral("targets"), QJsonArray::fromStringList(m_targetGlobs) } };
}

} // namespace Shivx
