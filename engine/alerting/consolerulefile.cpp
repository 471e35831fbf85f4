#include "alerting/consolerulefile.h"

#include "alerting/prometheusrules.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSaveFile>

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

std::string str(const QString &s)
{
    return s.toStdString();
}

Result<void> writeAtomically(const QString &path, const QByteArray &content)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size() || !f.commit())
        return makeError(
            "alerting.storage", QStringLiteral("%1: cannot write: %2").arg(path, f.errorString()));
    return {};
}

} // namespace

QByteArray ConsoleRuleFile::toYaml(const QList<AlertRule> &rules)
{
    YAML::Emitter e;
    e << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    e << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "console";
    e << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const AlertRule &r : rules) {
        const auto number
            = [](double v) { return str(QString::number(v, 'g', QLocale::FloatingPointShortest)); };
        e << YAML::BeginMap;
        e << YAML::Key << "alert" << YAML::Value << str(r.name);
        if (r.always) {
            e << YAML::Key << "always" << YAML::Value << true;
        } else {
            e << YAML::Key << "series" << YAML::Value << YAML::DoubleQuoted
              << str(r.series.toString());
            e << YAML::Key << "function" << YAML::Value << str(toString(r.function));
            if (r.function == WindowFunction::Quantile)
                e << YAML::Key << "quantile" << YAML::Value << number(r.param);
            if (r.function == WindowFunction::HoursLeft)
                e << YAML::Key << "target" << YAML::Value << number(r.param);
            e << YAML::Key << "window" << YAML::Value << str(ruleDuration(r.windowMs));
            e << YAML::Key << "op" << YAML::Value << YAML::DoubleQuoted << str(toString(r.op));
            e << YAML::Key << "threshold" << YAML::Value << number(r.threshold);
        }
        e << YAML::Key << "for" << YAML::Value << str(ruleDuration(r.forMs));
        e << YAML::Key << "severity" << YAML::Value << str(r.severity);
        if (!r.labels.isEmpty()) {
            e << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
            for (auto it = r.labels.cbegin(); it != r.labels.cend(); ++it)
                e << YAML::Key << str(it.key()) << YAML::Value << YAML::DoubleQuoted
                  << str(it.value());
            e << YAML::EndMap;
        }
        if (!r.inhibitedBy.isEmpty()) {
            e << YAML::Key << "inhibited_by" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const QString &n : r.inhibitedBy)
                e << str(n);
            e << YAML::EndSeq;
        }
        if (!r.inhibitEqual.isEmpty()) {
            e << YAML::Key << "inhibit_equal" << YAML::Value << YAML::Flow << YAML::BeginSeq;
            for (const QString &n : r.inhibitEqual)
                e << str(n);
            e << YAML::EndSeq;
        }
        if (!r.summary.isEmpty() || !r.description.isEmpty()) {
            e << YAML::Key << "annotations" << YAML::Value << YAML::BeginMap;
            if (!r.summary.isEmpty())
                e << YAML::Key << "summary" << YAML::Value << YAML::DoubleQuoted << str(r.summary);
            if (!r.description.isEmpty())
                e << YAML::Key << "description" << YAML::Value << YAML::DoubleQuoted
                  << str(r.description);
            e << YAML::EndMap;
        }
        e << YAML::EndMap;
    }
    e << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
    return QByteArray("# Written by the ShivX console's rule editor: edits here are kept, but\n"
                      "# the console rewrites this file (without comments) when it saves.\n")
        + e.c_str() + '\n';
}

Result<ConsoleRuleFile::Saved> ConsoleRuleFile::save(const QString &rulesDir, const AlertRule &rule)
{
    if (rulesDir.isEmpty() || !QFileInfo(rulesDir).isDir())
        return makeError("alerting.rules_not_a_directory",
            rulesDir.isEmpty()
                ? QStringLiteral("alerting.rules is not set: name a directory there for the "
                                 "console to save rules into")
                : QStringLiteral("alerting.rules names the file %1: the console saves only into "
                                 "a directory of rule files")
                      .arg(rulesDir));
    Saved saved;
    saved.path = QDir(rulesDir).filePath(QLatin1String(FileName));
    QList<AlertRule> rules;
    QFile f(saved.path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly))
            return makeError("alerting.storage",
                QStringLiteral("%1: cannot read: %2").arg(saved.path, f.errorString()));
        saved.existed = true;
        saved.previous = f.readAll();
        auto existing = parseAlertRules(saved.previous, saved.path);
        if (!existing)
            return existing.error();
        rules = *existing;
    }
    AlertRule copy = rule;
    copy.group = QStringLiteral("console");
    bool replaced = false;
    for (AlertRule &r : rules)
        if (r.name == rule.name) {
            r = copy;
            replaced = true;
        }
    if (!replaced)
        rules.append(copy);
    if (auto w = writeAtomically(saved.path, toYaml(rules)); !w)
        return w.error();
    return saved;
}

Result<void> ConsoleRuleFile::restore(const Saved &saved)
{
    if (saved.existed)
        return writeAtomically(saved.path, saved.previous);
    if (QFile::exists(saved.path) && !QFile::remove(saved.path))
        return makeError("alerting.storage", QStringLiteral("%1: cannot remove").arg(saved.path));
    return {};
}

} // namespace Shivx
