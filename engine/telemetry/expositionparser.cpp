#include "telemetry/expositionparser.h"

#include <QHash>
#include <QSet>

#include <cmath>
#include <limits>

namespace Shivx {

namespace {

bool isNameStart(QChar c, bool colon)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_')
        || (colon && c == QLatin1Char(':'));
}

bool isNameChar(QChar c, bool colon)
{
    return isNameStart(c, colon) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

bool isName(QStringView s, bool colon)
{
    if (s.isEmpty() || !isNameStart(s.front(), colon))
        return false;
    for (QChar c : s)
        if (!isNameChar(c, colon))
            return false;
    return true;
}

Error fail(int line, const QString &what)
{
    return makeError("metrics.bad_exposition", QStringLiteral("line %1: %2").arg(line).arg(what));
}

// Prometheus' float syntax: Go's ParseFloat plus NaN and +Inf/-Inf in any case.
std::optional<double> parseValue(QStringView s)
{
    const QString lower = s.toString().toLower();
    if (lower == QLatin1String("nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (lower == QLatin1String("+inf") || lower == QLatin1String("inf"))
        return std::numeric_limits<double>::infinity();
    if (lower == QLatin1String("-inf"))
        return -std::numeric_limits<double>::infinity();
    bool ok = false;
    const double v = s.toDouble(&ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

// Reads `{a="x",b="y"}` from `s` at `*pos` (which points at '{'); moves past the '}'.
std::optional<QString> readLabels(
    QStringView s, qsizetype *pos, QList<QPair<QString, QString>> *labels)
{
    qsizetype i = *pos + 1;
    QSet<QString> seen;
    while (true) {
        while (i < s.size() && s[i] == QLatin1Char(' '))
            ++i;
        if (i < s.size() && s[i] == QLatin1Char('}')) {
            *pos = i + 1;
            return std::nullopt;
        }
        const qsizetype start = i;
        while (i < s.size() && isNameChar(s[i], false))
            ++i;
        const QString name = s.mid(start, i - start).toString();
        if (!isName(name, false))
            return QStringLiteral("invalid label name \"%1\"").arg(name.left(60));
        if (seen.contains(name))
            return QStringLiteral("label \"%1\" appears twice").arg(name);
        seen.insert(name);
        while (i < s.size() && s[i] == QLatin1Char(' '))
            ++i;
        if (i + 1 >= s.size() || s[i] != QLatin1Char('=') || s[i + 1] != QLatin1Char('"'))
            return QStringLiteral("label \"%1\": expected =\"value\"").arg(name);
        i += 2;
        QString value;
        bool closed = false;
        for (; i < s.size(); ++i) {
            const QChar c = s[i];
            if (c == QLatin1Char('"')) {
                closed = true;
                ++i;
                break;
            }
            if (c != QLatin1Char('\\')) {
                value += c;
                continue;
            }
            if (++i >= s.size())
                break;
            if (s[i] == QLatin1Char('n'))
                value += QLatin1Char('\n');
            else if (s[i] == QLatin1Char('\\') || s[i] == QLatin1Char('"'))
                value += s[i];
            else
                return QStringLiteral("label \"%1\": unknown escape \\%2").arg(name, s[i]);
        }
        if (!closed)
            return QStringLiteral("label \"%1\": the value has no closing quote").arg(name);
        labels->append({ name, value });
        while (i < s.size() && s[i] == QLatin1Char(' '))
            ++i;
        if (i < s.size() && s[i] == QLatin1Char(','))
            ++i;
        else if (i >= s.size() || s[i] != QLatin1Char('}'))
            return QStringLiteral("expected , or } after label \"%1\"").arg(name);
    }
}

} // namespace

bool ExpositionParser::isMetricName(QStringView name)
{
    return isName(name, true);
}

bool ExpositionParser::isLabelName(QStringView name)
{
    return isName(name, false);
}

Result<QList<ExpositionSample>> ExpositionParser::parse(const QByteArray &text)
{
    static const QSet<QString> types { QStringLiteral("counter"), QStringLiteral("gauge"),
        QStringLiteral("histogram"), QStringLiteral("summary"), QStringLiteral("untyped") };
    QList<ExpositionSample> out;
    QHash<QString, int> typed; // name -> line of its TYPE
    QHash<QString, QString> typeOf; // name -> its TYPE
    QSet<QString> sampled; // base names with samples so far
    const QList<QByteArray> lines = text.split('\n');
    for (int n = 0; n < lines.size(); ++n) {
        const int line = n + 1;
        QByteArray raw = lines.at(n);
        if (raw.endsWith('\r'))
            raw.chop(1);
        const QString l = QString::fromUtf8(raw);
        if (l.trimmed().isEmpty())
            continue;
        if (l.startsWith(QLatin1Char('#'))) {
            const QStringList parts
                = l.mid(1).trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (parts.value(0) != QLatin1String("TYPE") && parts.value(0) != QLatin1String("HELP"))
                continue; // a plain comment
            if (!isMetricName(parts.value(1)))
                return fail(line,
                    QStringLiteral("invalid metric name \"%1\" in %2")
                        .arg(parts.value(1).left(60), parts.value(0)));
            if (parts.value(0) == QLatin1String("TYPE")) {
                const QString &name = parts.at(1);
                if (parts.size() != 3 || !types.contains(parts.at(2)))
                    return fail(line,
                        QStringLiteral("TYPE of %1: expected counter, gauge, "
                                       "histogram, summary or untyped")
                            .arg(name));
                if (typed.contains(name))
                    return fail(line,
                        QStringLiteral("second TYPE for %1 (first on line %2)")
                            .arg(name)
                            .arg(typed.value(name)));
                if (sampled.contains(name))
                    return fail(line, QStringLiteral("TYPE for %1 after its samples").arg(name));
                typed.insert(name, line);
                typeOf.insert(name, parts.at(2));
            }
            continue;
        }
        ExpositionSample s;
        s.line = line;
        qsizetype i = 0;
        while (i < l.size() && isNameChar(l[i], true))
            ++i;
        s.name = l.left(i);
        if (!isMetricName(s.name))
            return fail(line,
                QStringLiteral("invalid metric name \"%1\"")
                    .arg(l.left(qMax<qsizetype>(i, 1)).left(60)));
        if (i < l.size() && l[i] == QLatin1Char('{')) {
            if (auto e = readLabels(l, &i, &s.labels))
                return fail(line, QStringLiteral("%1: %2").arg(s.name, *e));
        }
        const QStringList rest = l.mid(i).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (rest.isEmpty() || rest.size() > 2)
            return fail(
                line, QStringLiteral("%1: expected a value and at most a timestamp").arg(s.name));
        const auto value = parseValue(rest.at(0));
        if (!value)
            return fail(line,
                QStringLiteral("%1: \"%2\" is not a number").arg(s.name, rest.at(0).left(40)));
        s.value = *value;
        if (rest.size() == 2) {
            bool ok = false;
            s.timestampMs = rest.at(1).toLongLong(&ok);
            if (!ok)
                return fail(line,
                    QStringLiteral("%1: timestamp \"%2\" is not milliseconds")
                        .arg(s.name, rest.at(1).left(40)));
        }
        s.family = s.name;
        for (const QString &suffix : { QStringLiteral("_bucket"), QStringLiteral("_sum"),
                 QStringLiteral("_count"), QString() }) {
            if (!s.name.endsWith(suffix))
                continue;
            const QString base = s.name.left(s.name.size() - suffix.size());
            sampled.insert(base);
            if (suffix.isEmpty() || s.family != s.name)
                continue;
            const QString type = typeOf.value(base);
            if (type == QLatin1String("histogram")
                || (type == QLatin1String("summary") && suffix != QLatin1String("_bucket")))
                s.family = base;
        }
        s.type = typeOf.value(s.family, QStringLiteral("untyped"));
        out.append(s);
    }
    return out;
}

} // namespace Shivx
