#pragma once

// Internal to the engine: the YAML reader every configuration section uses, so that each
// area (audit, recovery, degradation, ...) parses its own section in its own file with the
// same "file:line: key: message" errors.

#include "core/result.h"
#include "core/timeutil.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>
#include <optional>

namespace Shivx::Internal {

// Walks the YAML tree, reading known keys and failing on the first problem with a
// message that names the file, the line and the dotted key.
class ConfigReader
{
public:
    explicit ConfigReader(QString source)
        : m_source(std::move(source))
    {
    }

    std::optional<Error> error;

    bool failed() const { return error.has_value(); }

    // Fails at `node`'s line. An implied value (a default, or a key that is absent) has no
    // line of its own: then the error names the line of the mapping it belongs to, the one
    // checkKeys() saw last, so that no error ever says line 0.
    void fail(const YAML::Node &node, const QString &key, const QString &what)
    {
        if (error)
            return;
        error = makeError("config.invalid",
            QStringLiteral("%1:%2: %3: %4").arg(m_source).arg(lineOf(node)).arg(key, what));
    }

    // Refuses a key that appears twice in one mapping anywhere under `node` (YAML parsers
    // keep the first and drop the other silently), naming both lines.
    void rejectDuplicateKeys(const YAML::Node &node, const QString &path)
    {
        if (error)
            return;
        if (node.IsSequence()) {
            for (std::size_t i = 0; i < node.size() && !error; ++i)
                rejectDuplicateKeys(node[i], QStringLiteral("%1[%2]").arg(path).arg(i));
            return;
        }
        if (!node.IsMap())
            return;
        QHash<QString, int> seen;
        for (auto it = node.begin(); it != node.end() && !error; ++it) {
            const QString key
                = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
            const int line = it->first.Mark().line + 1;
            if (seen.contains(key)) {
                fail(it->first, join(path, key),
                    QStringLiteral("duplicate key (first at line %1)").arg(seen.value(key)));
                return;
            }
            seen.insert(key, line);
            rejectDuplicateKeys(it->second, join(path, key));
        }
    }

    // Rejects keys outside `allowed`, so that a typo is an error instead of a silent default.
    bool checkKeys(const YAML::Node &map, const QString &path, const QSet<QString> &allowed)
    {
        if (!map.IsMap()) {
            fail(map, path, QStringLiteral("expected a mapping"));
            return false;
        }
        m_lastMapping.reset(map); // rebinds; operator= would assign into the tree
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = QString::fromStdString(it->first.Scalar());
            if (!allowed.contains(key)) {
                QStringList known(allowed.begin(), allowed.end());
                known.sort();
                fail(it->first, join(path, key),
                    QStringLiteral("unknown key (known: %1)")
                        .arg(known.join(QStringLiteral(", "))));
                return false;
            }
        }
        return true;
    }

    static QString join(const QString &path, const QString &key)
    {
        return path.isEmpty() ? key : path + QLatin1Char('.') + key;
    }

    bool scalar(const YAML::Node &n, const QString &key, QString *out)
    {
        if (!n.IsScalar()) {
            fail(n, key, QStringLiteral("expected a string"));
            return false;
        }
        *out = QString::fromStdString(n.Scalar());
        return true;
    }

    void string(const YAML::Node &map, const QString &path, const char *key, QString *out)
    {
        const YAML::Node n = map[key];
        if (n.IsDefined() && !n.IsNull())
            scalar(n, join(path, QLatin1String(key)), out);
    }

    void boolean(const YAML::Node &map, const QString &path, const char *key, bool *out)
    {
        const YAML::Node n = map[key];
        if (!n.IsDefined() || n.IsNull())
            return;
        bool v = false;
        if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
            fail(n, join(path, QLatin1String(key)), QStringLiteral("expected true or false"));
            return;
        }
        *out = v;
    }

    void number(const YAML::Node &map, const QString &path, const char *key, double *out,
        double min, double max)
    {
        const YAML::Node n = map[key];
        if (!n.IsDefined() || n.IsNull())
            return;
        const QString k = join(path, QLatin1String(key));
        bool ok = false;
        const double v = n.IsScalar() ? QString::fromStdString(n.Scalar()).toDouble(&ok) : 0;
        if (!ok || !std::isfinite(v)) {
            fail(n, k, QStringLiteral("expected a number, got \"%1\"").arg(describe(n)));
            return;
        }
        if (v < min || v > max) {
            fail(n, k, QStringLiteral("%1 is out of range [%2, %3]").arg(v).arg(min).arg(max));
            return;
        }
        *out = v;
    }

    void integer(
        const YAML::Node &map, const QString &path, const char *key, int *out, int min, int max)
    {
        const YAML::Node n = map[key];
        if (!n.IsDefined() || n.IsNull())
            return;
        const QString k = join(path, QLatin1String(key));
        bool ok = false;
        const qlonglong v = n.IsScalar() ? QString::fromStdString(n.Scalar()).toLongLong(&ok) : 0;
        if (!ok) {
            fail(n, k, QStringLiteral("expected an integer, got \"%1\"").arg(describe(n)));
            return;
        }
        if (v < min || v > max) {
            fail(n, k, QStringLiteral("%1 is out of range [%2, %3]").arg(v).arg(min).arg(max));
            return;
        }
        *out = static_cast<int>(v);
    }

    void duration(
        const YAML::Node &map, const QString &path, const char *key, qint64 *out, qint64 minMs)
    {
        const YAML::Node n = map[key];
        if (!n.IsDefined() || n.IsNull())
            return;
        const QString k = join(path, QLatin1String(key));
        if (!n.IsScalar()) {
            fail(n, k, QStringLiteral("expected a duration such as 5s"));
            return;
        }
        const auto d = TimeUtil::parseDurationMs(QString::fromStdString(n.Scalar()));
        if (!d) {
            fail(n, k, d.error().message);
            return;
        }
        if (*d < minMs) {
            fail(
                n, k, QStringLiteral("must be at least %1").arg(TimeUtil::formatDurationMs(minMs)));
            return;
        }
        *out = *d;
    }

    // A duration that becomes a QTimer interval: QTimer takes an int of milliseconds, so at
    // most about 24.8 days. (Retention periods are not timers and use duration().)
    void timerDuration(
        const YAML::Node &map, const QString &path, const char *key, qint64 *out, qint64 minMs)
    {
        qint64 v = *out;
        duration(map, path, key, &v, minMs);
        if (failed() || v == *out)
            return;
        if (v > MaxTimerMs) {
            fail(map[key], join(path, QLatin1String(key)),
                QStringLiteral("%1 is longer than a timer can wait (at most %2)")
                    .arg(TimeUtil::formatDurationMs(v), TimeUtil::formatDurationMs(MaxTimerMs)));
            return;
        }
        *out = v;
    }
    static constexpr qint64 MaxTimerMs = std::numeric_limits<int>::max();

    void stringList(const YAML::Node &map, const QString &path, const char *key, QStringList *out)
    {
        const YAML::Node n = map[key];
        if (!n.IsDefined() || n.IsNull())
            return;
        const QString k = join(path, QLatin1String(key));
        if (!n.IsSequence()) {
            fail(n, k, QStringLiteral("expected a list of strings"));
            return;
        }
        out->clear();
        for (std::size_t i = 0; i < n.size(); ++i) {
            QString s;
            if (!scalar(n[i], QStringLiteral("%1[%2]").arg(k).arg(i), &s))
                return;
            out->append(s);
        }
    }

    static QString describe(const YAML::Node &n)
    {
        if (n.IsScalar())
            return QString::fromStdString(n.Scalar());
        if (n.IsSequence())
            return QStringLiteral("a list");
        if (n.IsMap())
            return QStringLiteral("a mapping");
        return QStringLiteral("nothing");
    }

private:
    int lineOf(const YAML::Node &node) const
    {
        if (node.IsDefined() && node.Mark().line >= 0)
            return node.Mark().line + 1;
        if (m_lastMapping.IsDefined() && m_lastMapping.Mark().line >= 0)
            return m_lastMapping.Mark().line + 1;
        return 1;
    }

    QString m_source;
    YAML::Node m_lastMapping;
};

} // namespace Shivx::Internal
