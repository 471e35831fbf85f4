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
//   --exit-after MS CODE  sleep MS milliseconds, then exit with CODE
//   --print N TEXT      write N lines "TEXT i" (i = 1..N) to stdout at once
//   --print-every MS TEXT  write "TEXT i" to stdout every MS milliseconds, forever
//   --spawn-grandchild PIDFILE  fork a child that writes its pid to PIDFILE and sleeps
//                       forever in our process group (to prove that a group kill reaches it)
//   --env NAME          write "NAME=value" of the environment variable to stdout
//   --cwd               write the working directory to stdout
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
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
        } else if (a == QLatin1String("--exit-after")) {
            QThread::msleep(next.toULong());
            return args.value(i + 2).toInt();
        } else if (a == QLatin1String("--print") || a == QLatin1String("--print-every")) {
            const bool repeat = a == QLatin1String("--print-every");
            const QByteArray text = args.value(i + 2).toLocal8Bit();
            const long n = repeat ? -1 : next.toLong();
            for (long k = 1; n < 0 || k <= n; ++k) {
                const QByteArray line = text + ' ' + QByteArray::number(qlonglong(k)) + '\n';
                if (::write(STDOUT_FILENO, line.constData(), size_t(line.size())) < 0)
                    return 3;
                if (repeat)
                    QThread::msleep(next.toULong());
            }
            i += 2;
        } else if (a == QLatin1String("--spawn-grandchild")) {
            const QByteArray path = next.toLocal8Bit();
            const pid_t pid = ::fork();
            if (pid < 0)
                return 3;
            if (pid == 0) {
                const QByteArray text = QByteArray::number(qint64(::getpid())) + '\n';
                const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (fd >= 0) {
                    if (::write(fd, text.constData(), size_t(text.size())) < 0)
                        ::_exit(3);
                    ::close(fd);
                }
                for (;;)
                    ::pause();
            }
            ++i;
        } else if (a == QLatin1String("--env")) {
            const QByteArray line
                = next.toLocal8Bit() + '=' + qgetenv(next.toLocal8Bit().constData()) + '\n';
            if (::write(STDOUT_FILENO, line.constData(), size_t(line.size())) < 0)
                return 3;
            ++i;
        } else if (a == QLatin1String("--cwd")) {
            const QByteArray line = QDir::currentPath().toLocal8Bit() + '\n';
            if (::write(STDOUT_FILENO, line.constData(), size_t(line.size())) < 0)
                return 3;
        } else if (a == QLatin1String("--hang")) {
            for (;;)
                ::pause();
        } else {
            return 64;
        }
    }
    return 0;
}
