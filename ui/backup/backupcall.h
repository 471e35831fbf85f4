#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>

namespace Shivx::Ui {

// Runs `work` (a BackupService call: each one waits for the backup thread, and the catalogue
// reads go to the database) on `pool`, then `done(result)` on `context`'s thread, unless
// `context` is gone by then. The owner waits for `pool` before the service goes away.
template <class Work, class Done>
void backupCall(QThreadPool *pool, QObject *context, Work work, Done done)
{
    using T = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcher<T>::finished, context, [watcher, done] {
        done(watcher->result());
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

} // namespace Shivx::Ui
