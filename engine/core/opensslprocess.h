#pragma once

namespace Shivx {

// Call first in main(), before anything uses OpenSSL (the audit code, the API token, or Qt's
// TLS backend for https probes): it stops OpenSSL from freeing its global state in an atexit
// handler. That handler (OPENSSL_cleanup) deletes the key whose destructor frees each thread's
// OpenSSL state, and it runs while detached threads may still be exiting: every QThread whose
// wait() has just returned, Qt's own network thread, QThreadPool threads. Their error queues
// and DRBGs then leak (LeakSanitizer). Without the handler each thread frees its own state as
// it ends, and the global state stays reachable until the process is gone.
// Has no effect once OpenSSL has been initialised in the process.
void initOpenSslForProcess();

} // namespace Shivx
