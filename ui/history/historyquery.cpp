#include "history/historyquery.h"

#include <QSqlDatabase>

#include <atomic>

namespace Shivx::Ui {

HistoryAnswer HistoryQuery::run() const
{
    // Pool threads are reused, so the name carries a counter rather than the thread id:
    // two queries can never share a connection even if one outlives its page.
    static std::atomic<quint64> counter { 0 };
    const QString connectionName
        = QStringLiteral("shivx-ui-history-%1").arg(counter.fetch_add(1) + 1);

    HistoryAnswer answer;
    answer.generation = generation;
    answer.fromMs = fromMs;
    answer.toMs = toMs;
    {
        auto opened = HistoryStore::open(databasePath, connectionName);
        if (!opened) {
            answer.error = opened.error();
        } else {
            HistoryStore &store = *opened.value();
            auto listed = store.listSeries();
            if (listed)
                answer.series = listed.value();
            else
                answer.error = listed.error();
            for (const QString &name : series) {
                auto result = store.query(name, fromMs, toMs, Resolution::Auto, maxPoints);
                if (!result) {
                    answer.error = result.error();
                    break;
                }
                answer.results.append(result.value());
            }
        }
    }
    // The store is gone; drop the connection in case the store left it registered.
    if (QSqlDatabase::contains(connectionName))
        QSqlDatabase::removeDatabase(connectionName);
    return answer;
}

} // namespace Shivx::Ui
