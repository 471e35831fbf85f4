// shivx_audit_child DATA_DIR DURABILITY BATCH [SEGMENT_BYTES]
// Appends batches of entries to the resilience and operator streams of DATA_DIR through the
// engine's AuditWriter, forever (until killed), so that a test can SIGKILL it at any moment.
// Entries carry unicode, quotes, backslashes and control characters, about 1 KiB each, so a
// batch is one large write(2) that a kill can interrupt between pages.
#include "audit/auditconfig.h"
#include "audit/auditwriter.h"

#include <QCoreApplication>
#include <QJsonObject>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(
            stderr, "usage: shivx_audit_child DATA_DIR entry|batch|os BATCH [SEGMENT_BYTES]\n");
        return 2;
    }
    Shivx::AuditConfig config;
    const QString mode = args.at(2);
    config.durability = mode == QLatin1String("entry") ? Shivx::AuditConfig::Durability::Entry
        : mode == QLatin1String("os")                  ? Shivx::AuditConfig::Durability::Os
                                                       : Shivx::AuditConfig::Durability::Batch;
    const int batch = args.at(3).toInt();
    if (args.size() > 4)
        config.segmentMaxBytes = args.at(4).toLongLong();
    config.checkpointEveryEntries = 500;
    Shivx::AuditWriter writer(args.at(1), config);
    if (auto r = writer.open(); !r) {
        std::fprintf(stderr, "%s\n", qPrintable(r.error().message));
        return 1;
    }
    std::fprintf(stdout, "ready\n");
    std::fflush(stdout);
    const QString text
        = QString::fromUtf8("caf\xc3\xa9 \"quoted\" back\\slash \x1f tab\t \xf0\x9f\x98\x80 ")
              .repeated(24);
    for (qint64 n = 0;; ++n) {
        for (int i = 0; i < batch; ++i)
            writer.record({ i % 3 ? QStringLiteral("resilience") : QStringLiteral("operator"),
                QStringLiteral("engine"), QStringLiteral("test.crash_loop"),
                QJsonObject { { QStringLiteral("n"), n }, { QStringLiteral("i"), i },
                    { QStringLiteral("text"), text } },
                0 });
        writer.flush();
    }
}
