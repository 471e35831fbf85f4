#pragma once

#include "audit/verify/verifyreport.h"

#include <atomic>
#include <functional>

namespace Shivx::Ui {

// How the Audit page verifies the audit directory, injected by whoever owns the verifier
// (MainWindow plugs in AuditVerifier). Called on a worker thread, one call at a time.
// `progress(done, total)` may be called from that thread with bytes verified so far and the
// total; `*cancel` becomes true when the operator cancels, and the runner should then return
// soon (the page discards that report).
using VerifyProgress = std::function<void(qint64 done, qint64 total)>;
using VerifyRunner = std::function<VerifyReport(VerifyProgress progress, std::atomic_bool *cancel)>;

} // namespace Shivx::Ui
