#pragma once

// PostgresJobStore's private write scope, shared by its two source files.

#include "pipelines/postgresjobstore.h"

namespace Shivx {

// Every write is one: its own transaction, or a savepoint inside the open batch. In
// PostgreSQL a failed statement aborts the whole transaction, so even single statements go
// through a savepoint there: a failed write then leaves the batch as it was before it.
class PostgresJobStore::WriteScope
{
public:
    explicit WriteScope(PostgresJobStore &store)
        : m_store(store)
        , m_inBatch(store.m_batchOpen)
    {
        m_begin = m_store.execControl(
            m_inBatch ? QStringLiteral("SAVEPOINT job_write") : QStringLiteral("BEGIN"));
        m_open = m_begin.ok();
    }
    ~WriteScope()
    {
        if (!m_open)
            return;
        if (m_inBatch) {
            m_store.execControl(QStringLiteral("ROLLBACK TO job_write"));
            m_store.execControl(QStringLiteral("RELEASE job_write"));
        } else {
            m_store.execControl(QStringLiteral("ROLLBACK"));
        }
    }
    WriteScope(const WriteScope &) = delete;
    WriteScope &operator=(const WriteScope &) = delete;

    const Result<void> &begin() const { return m_begin; }
    Result<void> commit()
    {
        auto r = m_store.execControl(
            m_inBatch ? QStringLiteral("RELEASE job_write") : QStringLiteral("COMMIT"));
        if (r.ok())
            m_open = false;
        return r;
    }

private:
    PostgresJobStore &m_store;
    bool m_inBatch;
    bool m_open = false;
    Result<void> m_begin;
};

} // namespace Shivx
