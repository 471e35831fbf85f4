#pragma once

#include "history/dashboards.h"
#include "history/historyquery.h"

#include <QFutureWatcher>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;

namespace Shivx::Ui {

class HistoryChartView;

// One dashboard on the History page: its charts in a grid, all over the page's range, read
// in one query on a worker thread (answers carry a generation; only the newest is drawn).
// Each chart offers Explore (open its series in the Explore tab) and Remove.
class DashboardView : public QWidget
{
    Q_OBJECT
public:
    DashboardView(const QString &databasePath, const Dashboard &dashboard, QWidget *parent);
    ~DashboardView() override;

    QString name() const { return m_dashboard.name; }
    // Loads the points of every chart in [fromMs, toMs] (epoch milliseconds).
    void load(qint64 fromMs, qint64 toMs);
    // The chart views in dashboard order (for tests and screenshots).
    QList<HistoryChartView *> chartViews() const { return m_views; }
    // How many points the last answer drew, over all charts.
    int shownPoints() const { return m_shownPoints; }

Q_SIGNALS:
    void exploreRequested(const QStringList &series);
    // The dashboard was changed (a chart removed) or deleted: the page rebuilds its tabs.
    void dashboardsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onAnswer();
    void deleteDashboard();

    QString m_databasePath;
    Dashboard m_dashboard;
    QLabel *m_status = nullptr;
    QPushButton *m_deleteButton = nullptr;
    QList<HistoryChartView *> m_views;
    QList<QPushButton *> m_exploreButtons;
    QList<QPushButton *> m_removeButtons;
    QFutureWatcher<HistoryAnswer> m_watcher;
    quint64 m_generation = 0;
    std::pair<qint64, qint64> m_pending { 0, 0 }; // a load asked for while one runs
    int m_shownPoints = 0;
    bool m_answered = false;
};

} // namespace Shivx::Ui
