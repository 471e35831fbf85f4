#include "alerting/alertrule.h"

#include "core/configreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <cmath>

namespace Shivx {

bool LabelMatcher::matches(const QString &actual) const
{
    switch (op) {
    case Op::Equal:
        return actual == value;
    case Op::NotEqual:
        return actual != value;
    case Op::Regex:
        return re.match(actual).hasMatch();
    case Op::NotRegex:
        return !re.match(actual).hasMatch();
    }
    return false;
}

Result<SeriesSelector> SeriesSelector::parse(const QString &text)
{
    SeriesSelector s;
    const QString t = text.trimmed();
    int i = 0;
    const auto fail = [&](const QString &what) {
        return makeError("alerting.bad_selector",
            QStringLiteral("selector \"%1\" at character %2: %3").arg(t).arg(i + 1).arg(what));
    };
    const auto isNameChar = [](QChar c, bool first) {
        return c.isLetter() || c == QLatin1Char('_') || c == QLatin1Char(':')
            || (!first && c.isDigit());
    };
    while (i < t.size() && isNameChar(t.at(i), i == 0))
        ++i;
    s.metric = t.left(i);
    if (s.metric.isEmpty())
        return fail(QStringLiteral("expected a metric name"));
    if (i == t.size())
        return s;
    if (t.at(i) != QLatin1Char('{'))
        return fail(QStringLiteral("expected '{' or the end"));
    ++i;
    const auto skipSpace = [&] {
        while (i < t.size() && t.at(i).isSpace())
            ++i;
    };
    for (;;) {
        skipSpace();
        if (i < t.size() && t.at(i) == QLatin1Char('}')) {
            ++i;
            break;
        }
        const int start = i;
        while (i < t.size() && isNameChar(t.at(i), i == start) && t.at(i) != QLatin1Char(':'))
            ++i;
        LabelMatcher m;
        m.label = t.mid(start, i - start);
        if (m.label.isEmpty())
            return fail(QStringLiteral("expected a label name"));
        skipSpace();
        const QString rest = t.mid(i, 2);
        if (rest == QLatin1String("=~"))
            m.op = LabelMatcher::Op::Regex;
        else if (rest == QLatin1String("!~"))
            m.op = LabelMatcher::Op::NotRegex;
        else if (rest == QLatin1String("!="))
            m.op = LabelMatcher::Op::NotEqual;
        else if (rest.startsWith(QLatin1Char('=')))
            m.op = LabelMatcher::Op::Equal;
        else
            return fail(QStringLiteral("expected =, !=, =~ or !~"));
        i += m.op == LabelMatcher::Op::Equal ? 1 : 2;
        skipSpace();
        if (i >= t.size() || t.at(i) != QLatin1Char('"'))
            return fail(QStringLiteral("expected a quoted value"));
        ++i;
        QString value;
        while (i < t.size() && t.at(i) != QLatin1Char('"')) {
            if (t.at(i) == QLatin1Char('\\') && i + 1 < t.size())
                ++i;
            value += t.at(i++);
        }
        if (i >= t.size())
            return fail(QStringLiteral("unterminated value"));
        ++i;
        m.value = value;
        if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
            m.re = QRegularExpression(QRegularExpression::anchoredPattern(value));
            if (!m.re.isValid())
                return fail(QStringLiteral("bad regular expression: %1").arg(m.re.errorString()));
        }
        s.matchers.append(m);
        skipSpace();
        if (i < t.size() && t.at(i) == QLatin1Char(',')) {
            ++i;
            continue;
        }
        if (i < t.size() && t.at(i) == QLatin1Char('}')) {
            ++i;
            break;
        }
        return fail(QStringLiteral("expected ',' or '}'"));
    }
    skipSpace();
    if (i != t.size())
        return fail(QStringLiteral("unexpected text after '}'"));
    return s;
}

bool SeriesSelector::matches(const QStringList &labelNames, const QStringList &labelValues) const
{
    for (const LabelMatcher &m : matchers) {
        const int at = labelNames.indexOf(m.label);
        if (!m.matches(at < 0 ? QString() : labelValues.value(at)))
            return false;
    }
    return true;
}

QString SeriesSelector::toString() const
{
    if (matchers.isEmpty())
        return metric;
    QStringList parts;
    for (const LabelMatcher &m : matchers) {
        static const char *ops[] = { "=", "!=", "=~", "!~" };
        QString v = m.value;
        v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('"'), QStringLiteral("\\\""));
        parts << m.label + QLatin1String(ops[int(m.op)]) + QLatin1Char('"') + v + QLatin1Char('"');
    }
    return metric + QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

bool AlertRule::compare(double v) const
{
    if (std::isnan(v))
        return false;
    switch (op) {
    case Comparison::Greater:
        return v > threshold;
    case Comparison::GreaterEqual:
        return v >= threshold;
    case Comparison::Less:
        return v < threshold;
    case Comparison::LessEqual:
        return v <= threshold;
    case Comparison::Equal:
        return v == threshold;
    case Comparison::NotEqual:
        return v != threshold;
    }
    return false;
}

namespace {

struct FunctionName
{
    const char *name;
    WindowFunction f;
};
const FunctionName functionNames[] = { { "last", WindowFunction::Last },
    { "avg_over_time", WindowFunction::Avg }, { "min_over_time", WindowFunction::Min },
    { "max_over_time", WindowFunction::Max }, { "rate", WindowFunction::Rate },
    { "increase", WindowFunction::Increase }, { "quantile_over_time", WindowFunction::Quantile },
    { "hours_until", WindowFunction::HoursLeft } };

const char *comparisonNames[] = { ">", ">=", "<", "<=", "==", "!=" };

const QSet<QString> ruleKeys { QStringLiteral("alert"), QStringLiteral("series"),
    QStringLiteral("function"), QStringLiteral("quantile"), QStringLiteral("target"),
    QStringLiteral("window"), QStringLiteral("op"), QStringLiteral("threshold"),
    QStringLiteral("for"), QStringLiteral("severity"), QStringLiteral("labels"),
    QStringLiteral("annotations"), QStringLiteral("inhibited_by"), QStringLiteral("inhibit_equal"),
    QStringLiteral("always") };

void readRule(Internal::ConfigReader &r, const YAML::Node &n, const QString &path,
    const QString &group, const QString &file, AlertRule *out)
{
    if (!r.checkKeys(n, path, ruleKeys))
        return;
    out->group = group;
    out->source = QStringLiteral("%1:%2").arg(file).arg(n.Mark().line + 1);
    r.string(n, path, "alert", &out->name);
    if (r.failed())
        return;
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (!nameRe.match(out->name).hasMatch()) {
        r.fail(n["alert"].IsDefined() ? n["alert"] : n, path + QStringLiteral(".alert"),
            QStringLiteral("expected a name of letters, digits and _ (got \"%1\")").arg(out->name));
        return;
    }
    r.boolean(n, path, "always", &out->always);
    QString series;
    r.string(n, path, "series", &series);
    if (!out->always) {
        if (series.isEmpty() && !r.failed()) {
            r.fail(n, path + QStringLiteral(".series"), QStringLiteral("is required"));
            return;
        }
        if (auto sel = SeriesSelector::parse(series); !sel) {
            r.fail(n["series"], path + QStringLiteral(".series"), sel.error().message);
            return;
        } else {
            out->series = *sel;
        }
    }
    QString fn = QStringLiteral("last");
    r.string(n, path, "function", &fn);
    bool known = false;
    QStringList names;
    for (const auto &f : functionNames) {
        names << QLatin1String(f.name);
        if (fn == QLatin1String(f.name)) {
            out->function = f.f;
            known = true;
        }
    }
    if (!known && !r.failed()) {
        r.fail(n["function"], path + QStringLiteral(".function"),
            QStringLiteral("unknown function \"%1\" (known: %2)")
                .arg(fn, names.join(QStringLiteral(", "))));
        return;
    }
    if (out->function == WindowFunction::Quantile) {
        out->param = qQNaN();
        r.number(n, path, "quantile", &out->param, 0, 1);
        if (std::isnan(out->param) && !r.failed()) {
            r.fail(n, path + QStringLiteral(".quantile"),
                QStringLiteral("quantile_over_time needs quantile: 0-1"));
            return;
        }
    }
    if (out->function == WindowFunction::HoursLeft)
        r.number(n, path, "target", &out->param, -1e300, 1e300);
    r.duration(n, path, "window", &out->windowMs, 1000);
    QString op = QStringLiteral(">");
    r.string(n, path, "op", &op);
    known = false;
    for (int i = 0; i < 6; ++i)
        if (op == QLatin1String(comparisonNames[i])) {
            out->op = Comparison(i);
            known = true;
        }
    if (!known && !r.failed()) {
        r.fail(n["op"], path + QStringLiteral(".op"),
            QStringLiteral("unknown comparison \"%1\" (known: >, >=, <, <=, ==, !=)").arg(op));
        return;
    }
    if (!out->always && !n["threshold"].IsDefined() && !r.failed()) {
        r.fail(n, path + QStringLiteral(".threshold"), QStringLiteral("is required"));
        return;
    }
    r.number(n, path, "threshold", &out->threshold, -1e300, 1e300);
    r.duration(n, path, "for", &out->forMs, 0);
    r.string(n, path, "severity", &out->severity);
    static const QStringList severities { QStringLiteral("critical"), QStringLiteral("warning"),
        QStringLiteral("info"), QStringLiteral("none") };
    if (!r.failed() && !severities.contains(out->severity)) {
        r.fail(n["severity"], path + QStringLiteral(".severity"),
            QStringLiteral("expected critical, warning, info or none (got \"%1\")")
                .arg(out->severity));
        return;
    }
    const YAML::Node labels = n["labels"];
    if (labels.IsDefined() && !labels.IsNull()) {
        if (!labels.IsMap()) {
            r.fail(labels, path + QStringLiteral(".labels"), QStringLiteral("expected a mapping"));
            return;
        }
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            QString v;
            const QString key = QString::fromStdString(it->first.Scalar());
            if (!r.scalar(it->second, path + QStringLiteral(".labels.") + key, &v))
                return;
            out->labels.insert(key, v);
        }
    }
    const YAML::Node ann = n["annotations"];
    if (ann.IsDefined() && !ann.IsNull()) {
        const QString ap = path + QStringLiteral(".annotations");
        if (!r.checkKeys(ann, ap, { QStringLiteral("summary"), QStringLiteral("description") }))
            return;
        r.string(ann, ap, "summary", &out->summary);
        r.string(ann, ap, "description", &out->description);
    }
    r.stringList(n, path, "inhibited_by", &out->inhibitedBy);
    r.stringList(n, path, "inhibit_equal", &out->inhibitEqual);
}

void readRules(
    Internal::ConfigReader &r, const YAML::Node &root, const QString &file, QList<AlertRule> *out)
{
    if (!root.IsDefined() || root.IsNull())
        return;
    if (!r.checkKeys(root, QString(), { QStringLiteral("groups") }))
        return;
    const YAML::Node groups = root["groups"];
    if (!groups.IsSequence()) {
        r.fail(groups.IsDefined() ? groups : root, QStringLiteral("groups"),
            QStringLiteral("expected a list of groups"));
        return;
    }
    for (std::size_t g = 0; g < groups.size() && !r.failed(); ++g) {
        const QString gp = QStringLiteral("groups[%1]").arg(g);
        if (!r.checkKeys(groups[g], gp, { QStringLiteral("name"), QStringLiteral("rules") }))
            return;
        QString name;
        r.string(groups[g], gp, "name", &name);
        const YAML::Node rules = groups[g]["rules"];
        if (!rules.IsSequence()) {
            r.fail(rules.IsDefined() ? rules : groups[g], gp + QStringLiteral(".rules"),
                QStringLiteral("expected a list of rules"));
            return;
        }
        for (std::size_t i = 0; i < rules.size() && !r.failed(); ++i) {
            AlertRule rule;
            readRule(r, rules[i], QStringLiteral("%1.rules[%2]").arg(gp).arg(i), name, file, &rule);
            if (!r.failed())
                out->append(rule);
        }
    }
}

Result<void> checkAcrossRules(const QList<AlertRule> &rules)
{
    QHash<QString, QString> seen;
    for (const AlertRule &rule : rules) {
        if (seen.contains(rule.name))
            return makeError("alerting.bad_rules",
                QStringLiteral("%1: alert %2 is defined twice (first at %3)")
                    .arg(rule.source, rule.name, seen.value(rule.name)));
        seen.insert(rule.name, rule.source);
    }
    for (const AlertRule &rule : rules)
        for (const QString &other : rule.inhibitedBy)
            if (!seen.contains(other) || other == rule.name)
                return makeError("alerting.bad_rules",
                    QStringLiteral("%1: alert %2: inhibited_by names %3, %4")
                        .arg(rule.source, rule.name, other,
                            other == rule.name ? QStringLiteral("itself")
                                               : QStringLiteral("which is not a rule")));
    return {};
}

} // namespace

QString toString(WindowFunction f)
{
    for (const auto &n : functionNames)
        if (n.f == f)
            return QLatin1String(n.name);
    return QString();
}

QString toString(Comparison c)
{
    return QLatin1String(comparisonNames[int(c)]);
}

QString expandTemplate(
    const QString &text, const AlertRule &rule, const QMap<QString, QString> &labels, double value)
{
    static const QRegularExpression re(
        QStringLiteral("\\{\\{\\s*\\$([a-z]+)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?\\s*\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        const QString what = m.captured(1);
        if (what == QLatin1String("value"))
            out += QString::number(value, 'g', 6);
        else if (what == QLatin1String("threshold"))
            out += QString::number(rule.threshold, 'g', 6);
        else if (what == QLatin1String("alert"))
            out += rule.name;
        else if (what == QLatin1String("labels"))
            out += labels.value(m.captured(2));
        else
            out += m.captured(0);
        last = m.capturedEnd();
    }
    return out + text.mid(last);
}

Result<QList<AlertRule>> parseAlertRules(const QByteArray &yaml, const QString &source)
{
    Internal::ConfigReader r(source);
    QList<AlertRule> rules;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        r.rejectDuplicateKeys(root, QString());
        if (!r.failed())
            readRules(r, root, source, &rules);
    } catch (const YAML::Exception &e) {
        return makeError("alerting.bad_rules",
            QStringLiteral("%1:%2: %3")
                .arg(source)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    if (r.error)
        return makeError("alerting.bad_rules", r.error->message);
    if (auto c = checkAcrossRules(rules); !c)
        return c.error();
    return rules;
}

Result<QList<AlertRule>> loadAlertRules(const QString &path)
{
    QStringList files;
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir dir(path);
        for (const QString &f : dir.entryList(
                 { QStringLiteral("*.yml"), QStringLiteral("*.yaml") }, QDir::Files, QDir::Name))
            files << dir.filePath(f);
    } else {
        files << path;
    }
    QList<AlertRule> all;
    for (const QString &f : files) {
        QFile file(f);
        if (!file.open(QIODevice::ReadOnly))
            return makeError("alerting.bad_rules",
                QStringLiteral("%1: cannot read: %2").arg(f, file.errorString()));
        auto rules = parseAlertRules(file.readAll(), f);
        if (!rules)
            return rules.error();
        all += *rules;
    }
    if (auto c = checkAcrossRules(all); !c)
        return c.error();
    return all;
}

} // namespace Shivx
