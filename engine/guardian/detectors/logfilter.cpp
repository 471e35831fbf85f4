#include "guardian/detectors/logfilter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <QHash>

#include <algorithm>

namespace Shivx {

namespace {

// The source of the built-in sshd filter: the failures fail2ban's filter.d/sshd.conf counts in
// its default mode. Left out on purpose, as fail2ban does: "Failed publickey" for an existing
// user (clients offer several keys in turn) and the pam_unix "authentication failure;" line
// (the "Failed password" line that follows counts the same attempt).
// The source is the last " from ADDR" followed by the port or the end: a user name that
// contains " from 10.0.0.1" (an injection attempt) does not become the source.
const char SshdPattern[]
    = R"re(^(?:\S+ +){1,5}?sshd(?:-session)?(?:\[\d+\])?: +)re"
      R"re((?:(?:error|fatal): +(?:PAM: +)?)?(?:)re"
      R"re(Failed (?:(?!publickey )\S+ for (?:invalid user )?|publickey for invalid user ))re"
      R"re((?<user>.*?) from (?<source>\S+)(?: port \d+)?(?: on \S+)?)re"
      R"re((?: ssh\d*)?(?:: .*)?\s*$)re"
      R"re(|[iI](?:nvalid|llegal) user (?<user>.*?) from (?<source>\S+))re"
      R"re((?: port \d+)?(?: on \S+)?(?: \[preauth\])?\s*$)re"
      R"re(|[aA]uthentication (?:failure|error|failed) for (?<user>.*) )re"
      R"re(from (?<source>\S+)(?: via \S+)?(?: port \d+)?(?: \[preauth\])?\s*$)re"
      R"re(|maximum authentication attempts exceeded for (?:invalid user )?)re"
      R"re((?<user>.*) from (?<source>\S+)(?: port \d+)?(?: ssh\d*)?)re"
      R"re((?: \[preauth\])?\s*$)re"
      R"re(|User (?<user>\S+) from (?<source>\S+) not allowed because .*$))re";

// The combined log format, which nginx and Apache share:
//   nginx:  $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
//           "$http_referer" "$http_user_agent"
//   Apache: %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"
// The referer and agent are optional (the common format). A request line that is not
// "METHOD PATH PROTOCOL" (a TLS handshake sent to the plain port, "-") still matches, with
// no method or path. Quotes inside the strings are escaped: \" by Apache, \x22 by nginx.
const char CombinedPattern[]
    = R"re(^(?<source>\S+) \S+ (?<user>\S+) \[(?<time>[^\]]*)\] )re"
      R"re("(?:(?<method>[A-Z]+) (?<path>\S+)(?: [^"]*)?|(?:[^"\\]|\\.)*)" )re"
      R"re((?<status>\d{3}) (?<bytes>\d+|-))re"
      R"re((?: "(?<referer>(?:[^"\\]|\\.)*)" "(?<agent>(?:[^"\\]|\\.)*)")?)re";

struct Builtin
{
    const char *name;
    const char *pattern;
};
const Builtin Builtins[] = {
    { "sshd", SshdPattern },
    { "nginx", CombinedPattern },
    { "apache", CombinedPattern },
};

const char *const FieldNames[LogFieldCount]
    = { "source", "user", "path", "status", "method", "bytes", "agent", "referer" };

} // namespace

const char *fieldName(LogField field)
{
    return FieldNames[static_cast<int>(field)];
}

struct LogFilter::Data
{
    QString name;
    QString pattern;
    pcre2_code *code = nullptr;
    bool jit = false;
    QStringList names;
    // Group numbers per name, in pattern order; several when a name is used more than once.
    QHash<QByteArray, QList<int>> groups;
    std::array<QList<int>, LogFieldCount> fields;

    ~Data() { pcre2_code_free(code); }
};

struct LogMatch::Scratch
{
    pcre2_match_data *data = nullptr;
    pcre2_match_context *context = nullptr;
    pcre2_jit_stack *stack = nullptr;

    ~Scratch()
    {
        pcre2_match_data_free(data);
        pcre2_match_context_free(context);
        pcre2_jit_stack_free(stack);
    }
};

Result<LogFilter> LogFilter::compile(const QString &pattern, const QString &name)
{
    const QByteArray utf8 = pattern.toUtf8();
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    // DUPNAMES: one name in several alternatives, as fail2ban's filters write them.
    pcre2_code *code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(utf8.constData()),
        PCRE2_SIZE(utf8.size()), PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DUPNAMES, &errorCode,
        &errorOffset, nullptr);
    if (!code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        const QString reason = QString::fromUtf8(reinterpret_cast<const char *>(message));
        const QString who = name.isEmpty() ? QStringLiteral("filter") : name;
        return makeError("guardian.filter.bad_regex",
            QStringLiteral("%1: invalid regular expression at offset %2: %3 in \"%4\"")
                .arg(who)
                .arg(qulonglong(errorOffset))
                .arg(reason, pattern),
            { who, qulonglong(errorOffset), reason, pattern });
    }
    auto d = std::make_shared<Data>();
    d->code = code;
    d->name = name;
    d->pattern = pattern;
    // Without a JIT (some architectures, or a hardened kernel refusing executable memory)
    // the interpreter matches the same, only slower.
    d->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;

    uint32_t count = 0, entrySize = 0;
    PCRE2_SPTR table = nullptr;
    pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entrySize);
    pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
    QList<QPair<int, QByteArray>> entries;
    for (uint32_t i = 0; i < count; ++i) {
        const PCRE2_SPTR e = table + std::size_t(i) * entrySize;
        const int number = (int(e[0]) << 8) | int(e[1]);
        entries.append({ number, QByteArray(reinterpret_cast<const char *>(e + 2)) });
    }
    // The table is sorted by name; the first group to take part is the first in the pattern.
    std::sort(entries.begin(), entries.end());
    for (const auto &[number, n] : entries) {
        if (!d->groups.contains(n))
            d->names.append(QString::fromUtf8(n));
        d->groups[n].append(number);
    }
    for (int f = 0; f < LogFieldCount; ++f)
        d->fields[std::size_t(f)] = d->groups.value(QByteArray(FieldNames[f]));
    LogFilter filter;
    filter.m_d = std::move(d);
    return filter;
}

Result<LogFilter> LogFilter::builtin(const QString &name)
{
    const QString pattern = builtinPattern(name);
    if (pattern.isEmpty())
        return makeError("guardian.filter.unknown_builtin",
            QStringLiteral("no built-in filter \"%1\" (built in: %2)")
                .arg(name, builtinNames().join(QStringLiteral(", "))),
            { name });
    return compile(pattern, name);
}

QStringList LogFilter::builtinNames()
{
    QStringList out;
    for (const auto &b : Builtins)
        out.append(QString::fromLatin1(b.name));
    return out;
}

QString LogFilter::builtinPattern(const QString &name)
{
    for (const auto &b : Builtins)
        if (name == QLatin1String(b.name))
            return QString::fromLatin1(b.pattern);
    return {};
}

QString LogFilter::name() const
{
    return m_d ? m_d->name : QString();
}

QString LogFilter::pattern() const
{
    return m_d ? m_d->pattern : QString();
}

bool LogFilter::jitCompiled() const
{
    return m_d && m_d->jit;
}

QStringList LogFilter::groupNames() const
{
    return m_d ? m_d->names : QStringList();
}

bool LogFilter::hasField(LogField field) const
{
    return m_d && !m_d->fields[std::size_t(field)].isEmpty();
}

bool LogFilter::match(QByteArrayView line, LogMatch &m) const
{
    Q_ASSERT(m.m_filter == m_d);
    if (!m_d || m.m_filter != m_d)
        return false;
    const auto subject = reinterpret_cast<PCRE2_SPTR>(line.data());
    const auto length = PCRE2_SIZE(line.size());
    // pcre2_jit_match skips the interpreter's option checks: the JIT path is the fast one.
    const int rc = m_d->jit
        ? pcre2_jit_match(m_d->code, subject, length, 0, 0, m.m_s->data, m.m_s->context)
        : pcre2_match(m_d->code, subject, length, 0, 0, m.m_s->data, m.m_s->context);
    m.m_subject = rc > 0 ? line.data() : nullptr;
    return rc > 0;
}

LogMatch::LogMatch(const LogFilter &filter)
    : m_filter(filter.m_d)
    , m_s(std::make_unique<Scratch>())
{
    if (!m_filter)
        return;
    m_s->data = pcre2_match_data_create_from_pattern(m_filter->code, nullptr);
    m_s->context = pcre2_match_context_create(nullptr);
    // The default 32 KiB JIT stack overflows on long lines with nested repeats.
    m_s->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    pcre2_jit_stack_assign(m_s->context, nullptr, m_s->stack);
}

LogMatch::~LogMatch() = default;

QByteArrayView LogMatch::group(int number) const
{
    if (!m_subject || number < 0 || uint32_t(number) >= pcre2_get_ovector_count(m_s->data))
        return {};
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m_s->data);
    const PCRE2_SIZE start = ov[2 * number];
    if (start == PCRE2_UNSET)
        return {};
    return QByteArrayView(m_subject + start, qsizetype(ov[2 * number + 1] - start));
}

QByteArrayView LogMatch::field(LogField field) const
{
    if (!m_filter)
        return {};
    for (const int n : m_filter->fields[std::size_t(field)]) {
        const QByteArrayView v = group(n);
        if (v.data())
            return v;
    }
    return {};
}

QByteArrayView LogMatch::named(QByteArrayView name) const
{
    if (!m_filter)
        return {};
    const auto it = m_filter->groups.constFind(name.toByteArray());
    if (it == m_filter->groups.constEnd())
        return {};
    for (const int n : *it) {
        const QByteArrayView v = group(n);
        if (v.data())
            return v;
    }
    return {};
}

} // namespace Shivx
