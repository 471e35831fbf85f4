#include "reportapplication.h"

#include <QGuiApplication>

#include <cstring>

namespace Shivx::Reports {

bool argumentsAskForPdf(int argc, char **argv)
{
    const auto isPdf = [](const char *path) {
        const size_t n = std::strlen(path);
        return n >= 4 && QByteArray(path + n - 4).toLower() == ".pdf";
    };
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--report") == 0 && i + 1 < argc && isPdf(argv[i + 1]))
            return true;
        if (std::strncmp(argv[i], "--report=", 9) == 0 && isPdf(argv[i] + 9))
            return true;
    }
    return false;
}

std::unique_ptr<QCoreApplication> createApplication(int &argc, char **argv)
{
    if (!argumentsAskForPdf(argc, argv))
        return std::make_unique<QCoreApplication>(argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    return std::make_unique<QGuiApplication>(argc, argv);
}

bool canWritePdf()
{
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

} // namespace Shivx::Reports
