#pragma once

#include <QMetaType>
#include <QString>
#include <QVariantList>

namespace Shivx {

// Something the engine says to a person (why a breaker opened, why the level is what it is),
// as a value: a stable code, the values it names, and its English wording. Logs, the audit
// chain and the API carry `text`, so they never change with a console's language; the
// console words `code` with `args` through tr() (ui/widgets/enginewording.h).
struct Message
{
    QString code; // "breaker.consecutive_failures"; empty for text the engine did not word
    QVariantList args; // what the wording names, in order; numbers stay numbers
    QString text; // English

    // Text the engine passes on as it came (a system error, an operator's words).
    static Message verbatim(const QString &text) { return { QString(), {}, text }; }

    bool isEmpty() const { return text.isEmpty(); }
    bool operator==(const Message &o) const
    {
        return code == o.code && args == o.args && text == o.text;
    }
    bool operator!=(const Message &o) const { return !(*this == o); }
};

inline Message makeMessage(const char *code, QVariantList args, QString text)
{
    return Message { QString::fromLatin1(code), std::move(args), std::move(text) };
}

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::Message)
