#pragma once

#include "core/message.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Ui {

// The console's words for what the engine says as codes: the errors of its commands and the
// reasons it gives (a breaker's, the degradation level's, the score's, readiness'). The engine
// keeps English in its logs, the audit chain and the API; the operator reads the code worded
// here, in the console's language, with numbers, durations and levels in the console's
// format. Text the engine passes on verbatim (a system error, an operator's words) shows as
// it came. A code not known here shows the engine's English, so a new code is never lost;
// tst_enginewording words every code the engine produces.
class EngineWording
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::EngineWording)
public:
    static QString error(const Error &error);
    static QString message(const Message &message);
    // Every code message() words, for the test that checks none is left in English.
    static QStringList messageCodes();
};

} // namespace Shivx::Ui
