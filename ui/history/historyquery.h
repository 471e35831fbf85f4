#pragma once

#include "telemetry/historystore.h"

#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Shivx::Ui {

// What a worker thread hands back to the History page.
struct HistoryAnswer
{
    quint64 generation = 0; // copied from the query, so the page can drop stale answers
    qint64 fromMs = 0; // the range asked for, epoch milliseconds
    qint64 toMs = 0;
    QList<SeriesInfo> series; // every series in the database, for the picker
    QList<HistoryQueryResult> results; // one per requested series, in request order
    std::optional<Error> error; // set when the read failed
};

// One load of the History page: the series list plus the points of the chosen series.
// A plain value so that it can be copied into QtConcurrent::run.
struct HistoryQuery
{
    QString databasePath;
    QStringList series;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int maxPoints = 1000;
    quint64 generation = 0;

    // Blocking; call on a worker thread. Opens its own database connection (HistoryStore
    // is not thread-safe and connections belong to the thread that made them) and closes it
    // before returning.
    HistoryAnswer run() const;
};

} // namespace Shivx::Ui
