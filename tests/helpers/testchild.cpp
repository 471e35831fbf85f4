// Test helper child program. Options are applied in order:
//   --pidfile PATH      write our pid to PATH
//   --name NAME         set /proc/self/comm to NAME (prctl)
//   --ignore-term       ignore SIGTERM
//   --die-with-parent   get SIGKILL when the parent dies, so a crashed test leaves no orphan
//   --sleep MS          sleep MS milliseconds
//   --stderr TEXT       write TEXT and a newline to stderr
//   --exit CODE         exit with CODE now
//   --crash             abort()
//   --hang              sleep forever
#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <cstdlib>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const QString next = i + 1 < args.size() ? args.at(i + 1) : QString();
        if (a == QLatin1String("--pidfile")) {
            QFile f(next);
            if (!f.open(QIODevice::WriteOnly))
                return 3;
            f.write(QByteArray::number(static_cast<qint64>(::getpid())) + '\n');
            ++i;
        } else if (a == QLatin1String("--name")) {
            ::prctl(PR_SET_NAME, next.toLocal8Bit().constData(), 0, 0, 0);
            ++i;
        } else if (a == QLatin1String("--die-with-parent")) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
            // The parent may have died before prctl took effect.
            if (::getppid() == 1)
                return 0;
        } else if (a == QLatin1String("--ignore-term")) {
            std::signal(SIGTERM, SIG_IGN);
        } else if (a == QLatin1String("--stderr")) {
            const QByteArray line = next.toLocal8Bit() + '\n';
            if (::write(STDERR_FILENO, line.constData(), size_t(line.size())) < 0)
                return 3;
            ++i;
        } else if (a == QLatin1String("--sleep")) {
            QThread::msleep(next.toULong());
            ++i;
        } else if (a == QLatin1String("--exit")) {
            return next.toInt();
        } else if (a == QLatin1String("--crash")) {
            std::abort();
        } else if (a == QLatin1String("--hang")) {
            for (;;)
                ::pause();
        } else {
            return 64;
        }
    }
    return 0;
}
