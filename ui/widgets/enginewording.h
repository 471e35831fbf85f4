#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Ui {

// The console's words for what the engine says as codes: errors of its commands today. The
// engine keeps English in its logs, the audit chain and the API; the operator reads the code
// worded here, in the console's language. A code not known here shows the engine's English
// message, so a new code is never silently lost (tst_enginewording lists the known ones).
class EngineWording
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::EngineWording)
public:
    static QString error(const Error &error);
};

} // namespace Shivx::Ui
