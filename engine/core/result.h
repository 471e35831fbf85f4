#pragma once

#include <QString>
#include <QVariantList>

#include <optional>
#include <utility>
#include <variant>

namespace Shivx {

// An error that crosses a function boundary: a stable machine code ("config.unknown_key")
// for logs, tests and callers that branch on it, and a human message in English that names
// what was wrong and where. `args` are the values the message names, in order, so that the
// console can word the code in the operator's language (ui/widgets/enginewording.h).
struct Error
{
    QString code;
    QString message;
    QVariantList args;

    QString toString() const
    {
        return code.isEmpty() ? message : code + QLatin1String(": ") + message;
    }
};

// Either a value or an Error. Exceptions never cross a thread or signal boundary in
// this project; fallible functions return Result instead.
template <typename T> class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(Error error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const Error &error() const { return std::get<Error>(m_data); }

    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }

private:
    std::variant<T, Error> m_data;
};

template <> class Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {
    }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(const char *code, const QString &message, QVariantList args = {})
{
    return Error { QString::fromLatin1(code), message, std::move(args) };
}

} // namespace Shivx
