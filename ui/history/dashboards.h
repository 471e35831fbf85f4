#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Shivx::Ui {

// A chart of a dashboard: a title and the history series it draws.
struct DashboardChart
{
    QString title;
    QStringList series;
};

// A named set of charts, shown together on the History page.
struct Dashboard
{
    QString name;
    QList<DashboardChart> charts;
};

// The operator's dashboards, kept in the console's settings (QSettings) as JSON, so that
// they follow the operator's account, not one engine. Every change is written at once.
class Dashboards
{
public:
    // Reads them; entries without a name or without series are left out.
    static QList<Dashboard> load();
    static void save(const QList<Dashboard> &dashboards);

    // Appends `chart` to the dashboard `name`, creating the dashboard when it does not exist
    // yet. Returns false (and changes nothing) when the chart has no series or the name is
    // empty after trimming.
    static bool addChart(const QString &name, const DashboardChart &chart);
    static void removeChart(const QString &name, int index);
    static void remove(const QString &name);
};

} // namespace Shivx::Ui
