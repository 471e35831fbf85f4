#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>

namespace Shivx {

class LogMatch;

// The captures a watcher and the threat score read by name; a filter may define any others.
enum class LogField { Source, User, Path, Status, Method, Bytes, Agent, Referer };
constexpr int LogFieldCount = 8;
// "source", "user", "path", "status", "method", "bytes", "agent", "referer"
const char *fieldName(LogField field);

// A compiled PCRE2 regular expression over log lines, with named captures.
// Matching runs on the line's bytes as they are: UTF-8 aware (`.` is one character), and a
// line with invalid UTF-8 is not an error (PCRE2_MATCH_INVALID_UTF): no pattern item matches
// an invalid byte, everything around it matches as usual. No line is decoded, checked or
// copied. (nginx and Apache escape non-printable bytes as \xHH, so their lines are ASCII.)
// JIT-compiled where the platform has PCRE2's JIT. A name may be used by several groups (in
// alternatives, as fail2ban's filters do); the capture is then the first of them that took part in
// the match. Copies share the compiled code; a LogFilter is immutable and may be used from several
// threads at once, each with its own LogMatch.
class LogFilter
{
public:
    LogFilter() = default;

    // `name` names the filter in errors ("watchers[2].filter"). A bad pattern fails with
    // "guardian.filter.bad_regex" naming the filter, the pattern, the offset and PCRE2's reason.
    static Result<LogFilter> compile(const QString &pattern, const QString &name = {});
    // The built-in filters: "sshd", "nginx", "apache" (docs/configuration.md, guardian).
    static Result<LogFilter> builtin(const QString &name);
    static QStringList builtinNames();
    // The pattern of a built-in filter, or an empty string.
    static QString builtinPattern(const QString &name);

    bool isValid() const { return m_d != nullptr; }
    QString name() const;
    QString pattern() const;
    bool jitCompiled() const;
    // Named groups, in pattern order (a duplicated name once).
    QStringList groupNames() const;
    bool hasField(LogField field) const;

    // True when `line` matches; `match` then holds the captures as views into `line`, valid
    // while `line` is. `match` must have been created for this filter (LogMatch(filter)).
    bool match(QByteArrayView line, LogMatch &match) const;

private:
    friend class LogMatch;
    struct Data;
    std::shared_ptr<const Data> m_d;
};

// The per-thread scratch space for matching one filter (PCRE2 match data and JIT stack) and
// the captures of the last match. Reuse one per thread: creating it allocates.
class LogMatch
{
public:
    explicit LogMatch(const LogFilter &filter);
    ~LogMatch();
    LogMatch(const LogMatch &) = delete;
    LogMatch &operator=(const LogMatch &) = delete;

    // The capture, or a null view when the filter has no such group or it did not take part.
    QByteArrayView field(LogField field) const;
    QByteArrayView group(int number) const;
    QByteArrayView named(QByteArrayView name) const;

private:
    friend class LogFilter;
    struct Scratch;
    std::shared_ptr<const LogFilter::Data> m_filter;
    std::unique_ptr<Scratch> m_s;
    const char *m_subject = nullptr;
};

} // namespace Shivx
