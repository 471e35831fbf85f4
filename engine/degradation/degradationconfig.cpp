#include "degradation/degradationconfig.h"

#include "core/configreader.h"

#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace Shivx {

DegradationLevel DegradationConfig::levelForScore(double score) const
{
    if (score >= normalMin)
        return DegradationLevel::Normal;
    if (score >= level1Min)
        return DegradationLevel::Level1;
    if (score >= level2Min)
        return DegradationLevel::Level2;
    if (score >= level3Min)
        return DegradationLevel::Level3;
    return DegradationLevel::Emergency;
}

double DegradationConfig::minScoreOf(DegradationLevel level) const
{
    switch (level) {
    case DegradationLevel::Normal:
        return normalMin;
    case DegradationLevel::Level1:
        return level1Min;
    case DegradationLevel::Level2:
        return level2Min;
    case DegradationLevel::Level3:
        return level3Min;
    case DegradationLevel::Emergency:
        return 0;
    }
    return 0;
}

namespace Internal {

namespace {

void readThresholds(ConfigReader &r, const YAML::Node &t, DegradationConfig *c)
{
    const QString p = QStringLiteral("degradation.thresholds");
    if (!r.checkKeys(t, p,
            { QStringLiteral("normal"), QStringLiteral("level_1"), QStringLiteral("level_2"),
                QStringLiteral("level_3") }))
        return;
    r.number(t, p, "normal", &c->normalMin, 0, 100);
    r.number(t, p, "level_1", &c->level1Min, 0, 100);
    r.number(t, p, "level_2", &c->level2Min, 0, 100);
    r.number(t, p, "level_3", &c->level3Min, 0, 100);
    if (r.failed())
        return;
    // Checked pairwise so that the message names the key that breaks the order.
    const struct
    {
        const char *key;
        double value;
        double above;
        const char *aboveKey;
    } order[] = {
        { "level_1", c->level1Min, c->normalMin, "normal" },
        { "level_2", c->level2Min, c->level1Min, "level_1" },
        { "level_3", c->level3Min, c->level2Min, "level_2" },
    };
    for (const auto &o : order) {
        if (o.value >= o.above) {
            r.fail(t[o.key].IsDefined() ? t[o.key] : t, p + QLatin1Char('.') + QLatin1String(o.key),
                QStringLiteral("%1 must be below %2 (%3): thresholds fall from normal to level_3")
                    .arg(o.value)
                    .arg(QLatin1String(o.aboveKey))
                    .arg(o.above));
            return;
        }
    }
}

std::optional<DegradationLevel> readLevel(ConfigReader &r, const YAML::Node &n, const QString &key)
{
    QString text;
    if (!r.scalar(n, key, &text))
        return std::nullopt;
    const auto level = parseDegradationLevel(text);
    if (!level)
        r.fail(n, key,
            QStringLiteral("\"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3, "
                           "EMERGENCY)")
                .arg(text));
    return level;
}

void readQuality(ConfigReader &r, const YAML::Node &n, const QString &key, FeatureRule *rule)
{
    // Levels left out take the value of the next better level, so "{NORMAL: 1, LEVEL_2: 0.2}"
    // keeps full quality at LEVEL_1.
    std::array<double, degradationLevelCount> q {};
    std::array<bool, degradationLevelCount> given {};
    for (auto it = n.begin(); it != n.end(); ++it) {
        const QString levelText = QString::fromStdString(it->first.Scalar());
        const auto level = parseDegradationLevel(levelText);
        const QString k = key + QLatin1Char('.') + levelText;
        if (!level) {
            r.fail(it->first, k,
                QStringLiteral("\"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, "
                               "LEVEL_3, EMERGENCY)")
                    .arg(levelText));
            return;
        }
        bool ok = false;
        const double v
            = it->second.IsScalar() ? QString::fromStdString(it->second.Scalar()).toDouble(&ok) : 0;
        if (!ok || !(v >= 0 && v <= 1)) {
            r.fail(it->second, k,
                QStringLiteral("expected a quality between 0 and 1, got \"%1\"")
                    .arg(ConfigReader::describe(it->second)));
            return;
        }
        q[size_t(levelValue(*level))] = v;
        given[size_t(levelValue(*level))] = true;
    }
    double previous = 1.0;
    for (size_t i = 0; i < q.size(); ++i) {
        if (!given[i])
            q[i] = previous;
        else if (q[i] > previous) {
            const QString levelText = toString(degradationLevelFromValue(int(i)));
            r.fail(n, key + QLatin1Char('.') + levelText,
                QStringLiteral("quality %1 is higher than at the better level before it (%2); "
                               "quality may only fall as the level worsens")
                    .arg(q[i])
                    .arg(previous));
            return;
        }
        previous = q[i];
    }
    rule->quality = q;
}

void readFeatures(ConfigReader &r, const YAML::Node &f, DegradationConfig *c)
{
    if (!f.IsMap()) {
        r.fail(f, QStringLiteral("features"),
            QStringLiteral("expected a mapping of feature name to level or qualities"));
        return;
    }
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    QList<FeatureRule> rules;
    for (auto it = f.begin(); it != f.end() && !r.failed(); ++it) {
        const QString name = QString::fromStdString(it->first.Scalar());
        const QString key = QStringLiteral("features.") + name;
        if (!namePattern.match(name).hasMatch()) {
            r.fail(it->first, key,
                QStringLiteral("feature names are 1-64 letters, digits, '_', '.' or '-'"));
            return;
        }
        FeatureRule rule;
        rule.name = name;
        if (it->second.IsMap()) {
            readQuality(r, it->second, key, &rule);
        } else if (it->second.IsScalar()) {
            const auto level = readLevel(r, it->second, key);
            if (level)
                rule.enabledThrough = *level;
        } else {
            r.fail(it->second, key,
                QStringLiteral("expected the worst level at which the feature "
                               "stays enabled, or a mapping of level to quality"));
        }
        if (!r.failed())
            rules.append(rule);
    }
    // yaml-cpp keeps the last of duplicate keys silently; a duplicate is a typo here.
    QSet<QString> seen;
    for (const FeatureRule &rule : std::as_const(rules)) {
        if (seen.contains(rule.name)) {
            r.fail(f[rule.name.toStdString()], QStringLiteral("features.") + rule.name,
                QStringLiteral("duplicate feature"));
            return;
        }
        seen.insert(rule.name);
    }
    if (!r.failed())
        c->features = FeatureMap(rules);
}

} // namespace

void readDegradationConfig(ConfigReader &r, const YAML::Node &degradation,
    const YAML::Node &features, DegradationConfig *out)
{
    if (degradation.IsDefined() && !degradation.IsNull()) {
        const QString p = QStringLiteral("degradation");
        if (!r.checkKeys(degradation, p,
                { QStringLiteral("thresholds"), QStringLiteral("recovery_hold"),
                    QStringLiteral("max_pin") }))
            return;
        if (const YAML::Node t = degradation["thresholds"]; t.IsDefined() && !t.IsNull())
            readThresholds(r, t, out);
        r.timerDuration(degradation, p, "recovery_hold", &out->recoveryHoldMs, 0);
        r.duration(degradation, p, "max_pin", &out->maxPinMs, 60'000);
    }
    if (!r.failed() && features.IsDefined() && !features.IsNull())
        readFeatures(r, features, out);
}

} // namespace Internal

} // namespace Shivx
