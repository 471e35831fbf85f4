#pragma once

#include "degradation/degradationlevel.h"

#include <QList>
#include <QMetaType>
#include <QString>

#include <array>
#include <optional>

namespace Shivx {

// What one feature may do at one level: whether it runs at all, and at what quality
// (1.0 full, 0.5 half the work, 0 none). A binary feature has quality 1 when enabled.
struct FeatureState
{
    QString name;
    bool enabled = true;
    double quality = 1.0;
};

// One row of the feature map, as configured.
struct FeatureRule
{
    QString name;
    // Binary switch: the worst level at which the feature stays enabled.
    DegradationLevel enabledThrough = DegradationLevel::Emergency;
    // Gradual reduction instead: the quality at each level (index = level value); the
    // feature counts as enabled where its quality is above 0.
    std::optional<std::array<double, degradationLevelCount>> quality;
};

// Which features run at which degradation level. A plain value: copied into snapshots and
// read from any thread.
class FeatureMap
{
public:
    FeatureMap() = default;
    explicit FeatureMap(QList<FeatureRule> rules)
        : m_rules(std::move(rules))
    {
    }

    // The classic map: LEVEL_1 turns off analytics and background_tasks, LEVEL_2 ai_inference
    // and web_search, LEVEL_3 uploads and integrations, EMERGENCY everything but core;
    // sampling is reduced step by step (1.0, 0.5, 0.25, 0.1, 0).
    static FeatureMap defaults();

    const QList<FeatureRule> &rules() const { return m_rules; }
    bool contains(const QString &name) const;

    // Every feature at `level`, in configuration order.
    QList<FeatureState> at(DegradationLevel level) const;
    // One feature at `level`; nullopt when the map does not name it.
    std::optional<FeatureState> feature(const QString &name, DegradationLevel level) const;
    // Unknown features count as enabled: the map only switches off what it names.
    bool isEnabled(const QString &name, DegradationLevel level) const;

    static FeatureState evaluate(const FeatureRule &rule, DegradationLevel level);

private:
    QList<FeatureRule> m_rules;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::FeatureState)
