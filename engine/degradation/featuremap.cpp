#include "degradation/featuremap.h"

namespace Shivx {

FeatureMap FeatureMap::defaults()
{
    auto binary = [](const char *name, DegradationLevel through) {
        return FeatureRule { QString::fromLatin1(name), through, std::nullopt };
    };
    QList<FeatureRule> rules = {
        binary("analytics", DegradationLevel::Normal),
        binary("background_tasks", DegradationLevel::Normal),
        binary("ai_inference", DegradationLevel::Level1),
        binary("web_search", DegradationLevel::Level1),
        binary("uploads", DegradationLevel::Level2),
        binary("integrations", DegradationLevel::Level2),
        binary("chat", DegradationLevel::Level3),
        binary("memory_writes", DegradationLevel::Level3),
        binary("core", DegradationLevel::Emergency),
    };
    FeatureRule sampling { QStringLiteral("sampling"), DegradationLevel::Emergency,
        std::array<double, degradationLevelCount> { 1.0, 0.5, 0.25, 0.1, 0.0 } };
    rules.append(sampling);
    return FeatureMap(rules);
}

bool FeatureMap::contains(const QString &name) const
{
    for (const FeatureRule &r : m_rules)
        if (r.name == name)
            return true;
    return false;
}

FeatureState FeatureMap::evaluate(const FeatureRule &rule, DegradationLevel level)
{
    if (rule.quality) {
        const double q = (*rule.quality)[static_cast<size_t>(levelValue(level))];
        return { rule.name, q > 0, q };
    }
    const bool on = level <= rule.enabledThrough;
    return { rule.name, on, on ? 1.0 : 0.0 };
}

QList<FeatureState> FeatureMap::at(DegradationLevel level) const
{
    QList<FeatureState> out;
    out.reserve(m_rules.size());
    for (const FeatureRule &r : m_rules)
        out.append(evaluate(r, level));
    return out;
}

std::optional<FeatureState> FeatureMap::feature(const QString &name, DegradationLevel level) const
{
    for (const FeatureRule &r : m_rules)
        if (r.name == name)
            return evaluate(r, level);
    return std::nullopt;
}

bool FeatureMap::isEnabled(const QString &name, DegradationLevel level) const
{
    const auto f = feature(name, level);
    return !f || f->enabled;
}

} // namespace Shivx
