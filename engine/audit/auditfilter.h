#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Shivx {

// What the console's Audit page filters entries by. Empty members match everything.
struct AuditFilter
{
    QString action; // case-insensitive substring of the entry's action ("breaker" finds
                    // "breaker.opened")
    QString actor; // case-insensitive substring of the entry's actor
    qint64 fromMs = 0; // entry ts >= fromMs (epoch ms); 0 = no lower bound
    qint64 toMs = 0; // entry ts <= toMs; 0 = no upper bound
    QString
        text; // substring of the whole line: data, hashes, names (ASCII letters case-insensitive)

    bool isEmpty() const;
    bool operator==(const AuditFilter &other) const;
    bool operator!=(const AuditFilter &other) const { return !(*this == other); }
};

// The fields of an entry line the filter needs, read from the fixed shape of a canonical
// line (members sorted: action, actor first; ts last) without parsing the JSON, because a
// search over a million entries cannot afford a full parse per line.
struct AuditLineFields
{
    QString action;
    QString actor;
    qint64 tsMs = 0;
    // False when the line does not have the canonical shape (a bad line).
    bool ok = false;

    static AuditLineFields extract(QByteArrayView line);
};

// A filter prepared for matching many lines. A line that is not an entry (bad JSON) can only
// match a filter that has no action, actor or time condition.
class AuditLineMatcher
{
public:
    explicit AuditLineMatcher(const AuditFilter &filter);
    bool matches(QByteArrayView line) const;

private:
    AuditFilter m_filter;
    QByteArray m_action; // lowercase UTF-8
    QByteArray m_actor;
    QByteArray m_text; // lowercase, escaped as it appears inside a canonical JSON string
    bool m_needFields = false;
};

} // namespace Shivx
