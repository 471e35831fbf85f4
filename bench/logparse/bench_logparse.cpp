// Log parsing: LogFilter (PCRE2 JIT, extracting the named captures) side by side with
// `LC_ALL=C grep -cE` (which only counts) and fail2ban-regex, in one run, with the same
// 4xx regex over the same generated nginx access log (combined format):
//
//   bench_logparse [--mb 200] [--dir DIR] [--fail2ban-lines 50000] [--runs 3] [--keep]
//
// The log is generated reproducibly (a fixed seed; the same bytes every run) into DIR
// (default: a temporary directory), the page cache is warmed, then each tool runs --runs
// times on the whole log and the best run counts. fail2ban-regex is about 250x slower, so it
// runs once on the first --fail2ban-lines lines, and LogFilter and grep run on that prefix
// too, so that all three are seen to count the same matches. Prints lines/s and the ratios
// against the goals (>= 100x fail2ban-regex, >= 0.5x grep).
#include "guardian/detectors/logfilter.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// One regex, written three ways only where the syntax differs: named groups for LogFilter,
// none for grep -E, fail2ban's <HOST> for the source. `\S` is a GNU grep extension; `\d` is
// not, so digits are [0-9] everywhere. The method and path are captured by LogFilter
// (the status, source and user too) and counted by all three.
const char OurRegex[] = R"re(^(?<source>\S+) \S+ (?<user>\S+) \[[^]]*\] "(?<method>[A-Z]+) )re"
                        R"re((?<path>\S+) [^"]*" (?<status>4[0-9][0-9]) )re";
const char GrepRegex[] = R"re(^\S+ \S+ \S+ \[[^]]*\] "[A-Z]+ \S+ [^"]*" 4[0-9][0-9] )re";
const char Fail2banRegex[] = R"re(^<HOST> \S+ \S+ \[[^]]*\] "[A-Z]+ \S+ [^"]*" 4[0-9][0-9] )re";

struct Generated
{
    qint64 lines = 0;
    qint64 bytes = 0;
};

// Deterministic: std::mt19937_64 is specified by the standard, and only its raw output is
// used (distributions are implementation-defined), so every platform writes the same log.
Generated generate(const QString &path, qint64 targetBytes)
{
    std::mt19937_64 rng(20261207);
    const auto pick = [&rng](quint64 n) { return quint64(rng() % n); };
    static const char *const methods[] = { "GET", "GET", "GET", "GET", "POST", "HEAD", "PUT" };
    static const char *const paths[] = { "/", "/index.html", "/login", "/api/v1/items",
        "/static/app.js", "/static/style.css", "/images/logo.png", "/wp-login.php", "/.env",
        "/admin/config.php", "/search?q=shoes&page=2", "/cart", "/checkout", "/robots.txt",
        "/favicon.ico", "/phpmyadmin/index.php" };
    static const char *const agents[]
        = { "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
              "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/119.0.0.0 Safari/537.36",
              "curl/7.88.1", "python-requests/2.31.0", "Go-http-client/1.1",
              "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };
    static const char *const referers[]
        = { "-", "-", "https://example.org/", "https://example.org/cart" };
    static const char *const months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    // Status mix of a public site under light scanning: ~12 % 4xx.
    const auto status = [&]() {
        const quint64 r = pick(1000);
        if (r < 780)
            return 200;
        if (r < 820)
            return 304;
        if (r < 850)
            return 301;
        if (r < 940)
            return 404;
        if (r < 955)
            return 403;
        if (r < 965)
            return 401;
        if (r < 970)
            return 429;
        if (r < 990)
            return 500;
        return 502;
    };

    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    Generated g;
    QByteArray buf;
    buf.reserve(1 << 20);
    char line[1024];
    qint64 second = 0;
    while (g.bytes < targetBytes) {
        if (pick(40) == 0)
            ++second;
        const qint64 s = second;
        const int day = 1 + int(s / 86400) % 28, hh = int(s / 3600) % 24, mm = int(s / 60) % 60,
                  ss = int(s % 60);
        const quint64 ip = pick(4000);
        const int n = std::snprintf(line, sizeof line,
            "%d.%d.%d.%d - %s [%02d/%s/2026:%02d:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d "
            "\"%s\" \"%s\"\n",
            int(11 + ip % 200), int(ip / 200 % 250), int(ip * 7 % 250), int(1 + ip % 253),
            pick(50) == 0 ? "alice" : "-", day, months[(s / (86400 * 28)) % 12], hh, mm, ss,
            methods[pick(7)], paths[pick(16)], status(), int(pick(50'000)), referers[pick(4)],
            agents[pick(6)]);
        buf.append(line, n);
        g.bytes += n;
        ++g.lines;
        if (buf.size() > (1 << 20) - 1024) {
            f.write(buf);
            buf.clear();
        }
    }
    f.write(buf);
    return g;
}

struct Run
{
    qint64 matches = 0;
    qint64 lines = 0;
    double seconds = 0;
    QString note;
};

// LogFilter over the whole file: lines split with memchr straight from the mapping, each
// match's captures read (their lengths summed, so that nothing is optimised away).
Run runLogFilter(const QString &path, const Shivx::LogFilter &filter)
{
    Run r;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st
    {
    };
    ::fstat(fd, &st);
    const qint64 size = st.st_size;
    void *map = ::mmap(nullptr, std::size_t(size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        qFatal("mmap failed");
    ::madvise(map, std::size_t(size), MADV_SEQUENTIAL);
    Shivx::LogMatch m(filter);
    qint64 captured = 0;
    QElapsedTimer t;
    t.start();
    const char *p = static_cast<const char *>(map);
    const char *end = p + size;
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        const char *e = nl ? nl : end;
        ++r.lines;
        if (filter.match(QByteArrayView(p, e - p), m)) {
            ++r.matches;
            captured += m.field(Shivx::LogField::Source).size()
                + m.field(Shivx::LogField::Method).size() + m.field(Shivx::LogField::Path).size()
                + m.field(Shivx::LogField::Status).size() + m.field(Shivx::LogField::User).size();
        }
        p = nl ? nl + 1 : end;
    }
    r.seconds = double(t.nsecsElapsed()) / 1e9;
    ::munmap(map, std::size_t(size));
    ::close(fd);
    r.note = QStringLiteral("%1 bytes captured").arg(captured);
    return r;
}

QByteArray runProcess(
    const QString &program, const QStringList &args, double *seconds, const QStringList &env = {})
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : env)
        e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    QElapsedTimer t;
    t.start();
    p.start(program, args);
    if (!p.waitForStarted(-1))
        qFatal("cannot start %s (installer/install-deps.sh --bench)", qPrintable(program));
    p.waitForFinished(-1);
    *seconds = double(t.nsecsElapsed()) / 1e9;
    return p.readAllStandardOutput() + p.readAllStandardError();
}

Run runGrep(const QString &path, qint64 lines)
{
    Run r;
    const QByteArray out = runProcess(QStringLiteral("grep"),
        { QStringLiteral("-cE"), QString::fromLatin1(GrepRegex), path }, &r.seconds,
        { QStringLiteral("LC_ALL=C") });
    r.matches = out.trimmed().toLongLong();
    r.lines = lines;
    return r;
}

Run runFail2ban(const QString &path)
{
    Run r;
    double wall = 0;
    const QByteArray out = runProcess(QStringLiteral("fail2ban-regex"),
        { QStringLiteral("--print-no-missed"), path, QString::fromLatin1(Fail2banRegex) }, &wall);
    // "Lines: 50000 lines, 0 ignored, 6011 matched, 43989 missed" and "[processed in 6.70 sec]":
    // its own processing time, without the interpreter's start, is what it is judged by.
    static const QRegularExpression linesRe(
        QStringLiteral("Lines: (\\d+) lines, \\d+ ignored, (\\d+) matched"));
    static const QRegularExpression timeRe(QStringLiteral("processed in ([0-9.]+) sec"));
    const QString text = QString::fromUtf8(out);
    const auto lm = linesRe.match(text);
    const auto tm = timeRe.match(text);
    if (!lm.hasMatch() || !tm.hasMatch())
        qFatal("unexpected fail2ban-regex output:\n%s", out.constData());
    r.lines = lm.captured(1).toLongLong();
    r.matches = lm.captured(2).toLongLong();
    r.seconds = tm.captured(1).toDouble();
    r.note = QStringLiteral("%1 s wall with interpreter start").arg(wall, 0, 'f', 2);
    return r;
}

void print(const char *tool, const Run &r)
{
    std::printf("  %-28s %10lld lines %9lld matches %8.3f s %12.0f lines/s  %s\n", tool,
        static_cast<long long>(r.lines), static_cast<long long>(r.matches), r.seconds,
        double(r.lines) / r.seconds, qPrintable(r.note));
}

Run best(const QList<Run> &runs)
{
    Run b = runs.first();
    for (const Run &r : runs)
        if (r.seconds < b.seconds)
            b = r;
    return b;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows while fail2ban-regex runs
    qint64 mb = 200, f2bLines = 50'000;
    int runs = 3;
    QString dir;
    bool keep = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--mb") && i + 1 < args.size())
            mb = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--dir") && i + 1 < args.size())
            dir = args[++i];
        else if (args[i] == QLatin1String("--fail2ban-lines") && i + 1 < args.size())
            f2bLines = args[++i].toLongLong();
        else if (args[i] == QLatin1String("--runs") && i + 1 < args.size())
            runs = qMax(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--keep"))
            keep = true;
        else {
            std::fprintf(stderr,
                "usage: bench_logparse [--mb 200] [--dir DIR] [--fail2ban-lines 50000] "
                "[--runs 3] [--keep]\n");
            return 2;
        }
    }
    QTemporaryDir tmp(dir.isEmpty() ? QDir::tempPath() + QStringLiteral("/bench_logparse-XXXXXX")
                                    : dir + QStringLiteral("/bench_logparse-XXXXXX"));
    tmp.setAutoRemove(!keep);
    const QString log = tmp.filePath(QStringLiteral("access.log"));
    const QString prefix = tmp.filePath(QStringLiteral("prefix.log"));

    std::printf("generating %lld MB of nginx combined-format log in %s ...\n",
        static_cast<long long>(mb), qPrintable(log));
    const Generated g = generate(log, mb * 1024 * 1024);
    std::printf("  %lld lines, %lld bytes\n", static_cast<long long>(g.lines),
        static_cast<long long>(g.bytes));
    {
        QFile in(log), out(prefix);
        in.open(QIODevice::ReadOnly);
        out.open(QIODevice::WriteOnly);
        for (qint64 i = 0; i < f2bLines && !in.atEnd(); ++i)
            out.write(in.readLine());
    }

    const auto filter = Shivx::LogFilter::compile(QString::fromLatin1(OurRegex));
    if (!filter)
        qFatal("%s", qPrintable(filter.error().message));
    std::printf("regex: %s\n  (grep -E: %s)\n  (fail2ban: %s)\n  PCRE2 JIT: %s\n", OurRegex,
        GrepRegex, Fail2banRegex, filter->jitCompiled() ? "yes" : "no");

    double warm = 0;
    runProcess(QStringLiteral("cat"), { log }, &warm); // page cache, alike for all
    QList<Run> ours, grep;
    for (int i = 0; i < runs; ++i) {
        // Alternating, so that a burst of load on the shared machine weighs on both.
        ours.append(runLogFilter(log, *filter));
        grep.append(runGrep(log, g.lines));
    }
    const Run o = best(ours), gr = best(grep);
    std::printf("\nwhole log (%lld MB, best of %d):\n", static_cast<long long>(mb), runs);
    print("LogFilter (named captures)", o);
    print("LC_ALL=C grep -cE", gr);

    std::printf("\nfirst %lld lines:\n", static_cast<long long>(f2bLines));
    const Run f2b = runFail2ban(prefix);
    const Run op = runLogFilter(prefix, *filter);
    const Run gp = runGrep(prefix, op.lines);
    print("LogFilter (named captures)", op);
    print("LC_ALL=C grep -cE", gp);
    print("fail2ban-regex", f2b);

    const double ourRate = double(o.lines) / o.seconds;
    const double grepRate = double(gr.lines) / gr.seconds;
    const double f2bRate = double(f2b.lines) / f2b.seconds;
    const bool sameWhole = o.matches == gr.matches;
    const bool samePrefix = op.matches == gp.matches && gp.matches == f2b.matches;
    std::printf("\nsame matches: whole log %s (%lld), prefix %s (%lld)\n", sameWhole ? "yes" : "NO",
        static_cast<long long>(o.matches), samePrefix ? "yes" : "NO",
        static_cast<long long>(op.matches));
    std::printf("LogFilter / fail2ban-regex: %.0fx (goal >= 100x)\n", ourRate / f2bRate);
    std::printf("LogFilter / LC_ALL=C grep -cE: %.2fx (goal >= 0.5x)\n", ourRate / grepRate);
    return sameWhole && samePrefix ? 0 : 1;
}
