#include "clicommon.h"

#include <cstdio>

namespace Shivx::Cli {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

} // namespace Shivx::Cli
