#include "history/dashboards.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

namespace Shivx::Ui {

namespace {

const QString kKey = QStringLiteral("history/dashboards");

QJsonArray toJson(const QList<Dashboard> &dashboards)
{
    QJsonArray out;
    for (const Dashboard &d : dashboards) {
        QJsonArray charts;
        for (const DashboardChart &c : d.charts)
            charts.append(QJsonObject { { QStringLiteral("title"), c.title },
                { QStringLiteral("series"), QJsonArray::fromStringList(c.series) } });
        out.append(QJsonObject {
            { QStringLiteral("name"), d.name }, { QStringLiteral("charts"), charts } });
    }
    return out;
}

} // namespace

QList<Dashboard> Dashboards::load()
{
    const QJsonArray all = QJsonDocument::fromJson(QSettings().value(kKey).toByteArray()).array();
    QList<Dashboard> out;
    for (const QJsonValue &v : all) {
        Dashboard d;
        d.name = v[QStringLiteral("name")].toString().trimmed();
        for (const QJsonValue &c : v[QStringLiteral("charts")].toArray()) {
            DashboardChart chart;
            chart.title = c[QStringLiteral("title")].toString();
            for (const QJsonValue &s : c[QStringLiteral("series")].toArray())
                if (!s.toString().isEmpty())
                    chart.series.append(s.toString());
            if (!chart.series.isEmpty())
                d.charts.append(chart);
        }
        if (!d.name.isEmpty())
            out.append(d);
    }
    return out;
}

void Dashboards::save(const QList<Dashboard> &dashboards)
{
    QSettings settings;
    settings.setValue(kKey, QJsonDocument(toJson(dashboards)).toJson(QJsonDocument::Compact));
    settings.sync();
}

bool Dashboards::addChart(const QString &name, const DashboardChart &chart)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || chart.series.isEmpty())
        return false;
    QList<Dashboard> all = load();
    auto it = std::find_if(
        all.begin(), all.end(), [&](const Dashboard &d) { return d.name == trimmed; });
    if (it == all.end())
        it = all.insert(all.end(), Dashboard { trimmed, {} });
    it->charts.append(chart);
    save(all);
    return true;
}

void Dashboards::removeChart(const QString &name, int index)
{
    QList<Dashboard> all = load();
    for (Dashboard &d : all)
        if (d.name == name && index >= 0 && index < d.charts.size())
            d.charts.removeAt(index);
    save(all);
}

void Dashboards::remove(const QString &name)
{
    QList<Dashboard> all = load();
    all.removeIf([&](const Dashboard &d) { return d.name == name; });
    save(all);
}

} // namespace Shivx::Ui
