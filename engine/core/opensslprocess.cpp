#include "core/opensslprocess.h"

#include <openssl/crypto.h>

namespace Shivx {

void initOpenSslForProcess()
{
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
}

} // namespace Shivx
