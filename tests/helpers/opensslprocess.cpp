// Linked into every test executable (shivx_add_test): runs before main(), so before anything
// in the test uses OpenSSL, as the first line of the shivx and shivx-console main() does.
#include "core/opensslprocess.h"

namespace {
const bool g_openSslReady = (Shivx::initOpenSslForProcess(), true);
} // namespace
