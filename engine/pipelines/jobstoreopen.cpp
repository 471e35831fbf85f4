#include "pipelines/jobstore.h"
#include "pipelines/postgresjobstore.h"
#include "pipelines/sqlitejobstore.h"

namespace Shivx {

Result<std::unique_ptr<JobStore>> openJobStore(
    const QString &store, const QString &sqlitePath, const QString &connectionName)
{
    if (store.isEmpty()) {
        auto sqlite = SqliteJobStore::open(sqlitePath, connectionName);
        if (!sqlite)
            return sqlite.error();
        return std::unique_ptr<JobStore>(std::move(*sqlite));
    }
    // The configuration checked the URL at load already; a store opened otherwise (tests,
    // tools) gets the same error here.
    const auto where = PostgresLocation::parse(store);
    if (!where)
        return where.error();
    auto postgres = PostgresJobStore::open(*where, connectionName);
    if (!postgres)
        return postgres.error();
    return std::unique_ptr<JobStore>(std::move(*postgres));
}

} // namespace Shivx
