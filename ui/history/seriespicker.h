#pragma once

#include "telemetry/historystore.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace Shivx::Ui {

// The History page's series chooser: a filter box over a checkable list of the series in
// the database, and a button to untick them all. It only keeps the list and the ticks; the
// page decides what to load when the selection changes.
class SeriesPicker : public QWidget
{
    Q_OBJECT
public:
    explicit SeriesPicker(QWidget *parent = nullptr);

    // Ticks or unticks a series (it must be listed already); false when it is not listed.
    bool setSeriesChecked(const QString &series, bool checked);
    // The ticked series; the page loads these.
    QStringList checkedSeries() const { return m_checked; }
    QStringList availableSeries() const;
    int seriesCount() const;

    // Brings the list in line with the series in the database: adds new ones, refreshes
    // their tooltips and drops vanished ones unless they are ticked.
    void updateSeries(const QList<SeriesInfo> &series);

Q_SIGNALS:
    // The set of ticked series changed, by the user or by updateSeries() picking a default.
    void checkedSeriesChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    // Sets every user-visible string; called on construction and on LanguageChange.
    void retranslateUi();
    void updateToolTip(QListWidgetItem *item);
    void onItemChanged(QListWidgetItem *item);
    void applyFilter(const QString &text);

    QLineEdit *m_filter = nullptr;
    QListWidget *m_seriesList = nullptr;
    QPushButton *m_clearButton = nullptr;
    QLabel *m_seriesLabel = nullptr;
    bool m_listedOnce = false;
    QStringList m_checked;
};

} // namespace Shivx::Ui
