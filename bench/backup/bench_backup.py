#!/usr/bin/env python3
"""Backup benchmark: shivx beside restic and borg (and plain tar for restore), one run.

    python3 bench/backup/bench_backup.py [--shivx build/app/cli/shivx] [--dir /var/tmp/shivx-bench-backup]
                                         [--mb 1024] [--tools shivx,restic,borg]

Generates a reproducible corpus of about --mb MB (seeded): text (compressible), binaries
(4 bits of entropy a byte), already-compressed data (random bytes) and 20,000 small files.
Every tool backs up the same corpus, then an incremental after 1% of the files changed
(a 4 KiB region rewritten in the middle of every 100th file), then verifies with a full read
(`shivx backup verify`, `restic check --read-data`, `borg check --verify-data`), then restores
the second backup to tmpfs (/dev/shm), beside `tar x` of the same corpus. The input of each
step (the corpus, or the repository) is read once first to warm the page cache, because this
machine evicts idle pages after about a minute. Times are wall clock of the tool's process;
peak RSS from wait4(). restic 0.14 runs with its defaults (compression auto); borg 1.2 with
repokey encryption (AES-CTR + HMAC-SHA-256; SHA-NI makes it faster than blake2 here) and its
default lz4 compression.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

PASSWORD = "bench passphrase"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def text_block(rng, words, size):
    lines = []
    n = 0
    while n < size:
        line = "%d %s\n" % (rng.randrange(10**9), " ".join(rng.choices(words, k=11)))
        lines.append(line)
        n += len(line)
    return "".join(lines).encode()[:size]


def make_corpus(root, mb):
    stamp = os.path.join(root, ".complete-%d" % mb)
    if os.path.exists(stamp):
        return
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(12)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 10)))
             for _ in range(3000)]
    skew = bytes([0] * 128 + [0xff] * 32 + list(range(1, 97)))  # ~4 bits a byte
    unit = mb * 1024 * 1024 // 10
    # 3/10 text in 500 KB files, 3/10 binaries in 2 MB files, 3/10 random in 10 MB files
    for kind, total, size in (("text", 3 * unit, 500_000), ("bin", 3 * unit, 2_000_000),
                              ("compressed", 3 * unit, 10_000_000)):
        for i in range(max(1, total // size)):
            if kind == "text":
                data = text_block(rng, words, size)
            elif kind == "bin":
                data = rng.randbytes(size).translate(skew)
            else:
                data = rng.randbytes(size)
            write(os.path.join(root, kind, "d%02d" % (i % 20), "f%05d" % i), data)
    # 1/10 in 20,000 small files
    count = 20000
    for i in range(count):
        write(os.path.join(root, "small", "d%03d" % (i % 200), "s%05d.txt" % i),
              text_block(rng, words, rng.randint(1, 2 * unit // count)))
    open(stamp, "w").close()


def corpus_files(root):
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.join(d, f) for f in files if not f.startswith(".complete")]
    return sorted(out)


def change_one_percent(root, seed):
    rng = random.Random(seed)
    files = corpus_files(root)
    for path in files[::100]:
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            if size > 8192:
                f.seek(size // 2)
                f.write(rng.randbytes(4096))
            else:
                f.write(rng.randbytes(max(1, size // 2)))
    return len(files[::100]), len(files)


def warm(path):
    for d, _, files in os.walk(path):
        for name in files:
            try:
                with open(os.path.join(d, name), "rb") as f:
                    while f.read(8 << 20):
                        pass
            except OSError:
                pass


def size_of(path):
    total = 0
    for d, _, files in os.walk(path):
        for name in files:
            total += os.lstat(os.path.join(d, name)).st_size
    return total


def run(cmd, cwd=None, env=None):
    """Runs cmd; returns (seconds, peak RSS in MB). Fails loudly on a non-zero exit."""
    with open(os.devnull, "wb") as out, open("/tmp/bench-backup-stderr", "w+b") as err:
        start = time.monotonic()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        secs = time.monotonic() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            sys.exit("bench: %s failed (%d): %s"
                     % (" ".join(cmd), p.returncode, err.read().decode()[-2000:]))
    return secs, usage.ru_maxrss / 1024


class Tool:
    def __init__(self, name, work, corpus):
        self.name, self.work, self.corpus = name, work, corpus
        self.repo = os.path.join(work, name + "-repo")
        self.env = dict(os.environ, RESTIC_PASSWORD=PASSWORD, BORG_PASSPHRASE=PASSWORD,
                        SHIVX_BACKUP_PASSWORD=PASSWORD, BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK="yes",
                        BORG_RELOCATED_REPO_ACCESS_IS_OK="yes")


class Shivx(Tool):
    def __init__(self, exe, work, corpus):
        super().__init__("shivx", work, corpus)
        self.exe = exe
        self.config = os.path.join(work, "shivx.yaml")
        with open(self.config, "w") as f:
            f.write("backup:\n  repository: %s\n  sets:\n    bench:\n      paths: [%s]\n"
                    % (self.repo, corpus))

    def cmd(self, *args):
        return [self.exe, "backup", *args, "--config", self.config,
                "--data-dir", os.path.join(self.work, "shivx-data")]

    def init(self):
        run(self.cmd("init"), env=self.env)

    def backup(self, n):
        secs, rss = run(self.cmd("run", "bench"), env=self.env)
        print("shivx backup %d: peak RSS %.0f MB" % (n, rss), flush=True)
        return secs

    def verify(self):
        secs, rss = run(self.cmd("verify"), env=self.env)
        print("shivx verify: peak RSS %.0f MB" % rss, flush=True)
        return secs

    def restore(self, target):
        return run(self.cmd("restore", "latest", "--target", target), env=self.env)[0]


class Restic(Tool):
    def __init__(self, work, corpus):
        super().__init__("restic", work, corpus)

    def init(self):
        run(["restic", "init", "--repo", self.repo], env=self.env)

    def backup(self, n):
        return run(["restic", "backup", "--repo", self.repo, "--quiet", self.corpus],
                   env=self.env)[0]

    def verify(self):
        return run(["restic", "check", "--repo", self.repo, "--read-data"], env=self.env)[0]

    def restore(self, target):
        return run(["restic", "restore", "latest", "--repo", self.repo, "--target", target],
                   env=self.env)[0]


class Borg(Tool):
    def __init__(self, work, corpus):
        super().__init__("borg", work, corpus)

    def init(self):
        run(["borg", "init", "--encryption=repokey", self.repo], env=self.env)

    def backup(self, n):
        return run(["borg", "create", "%s::b%d" % (self.repo, n), self.corpus], env=self.env)[0]

    def verify(self):
        return run(["borg", "check", "--verify-data", self.repo], env=self.env)[0]

    def restore(self, target):
        os.makedirs(target, exist_ok=True)
        return run(["borg", "extract", "%s::b2" % self.repo], cwd=target, env=self.env)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shivx", default="build/app/cli/shivx")
    ap.add_argument("--dir", default="/var/tmp/shivx-bench-backup")
    ap.add_argument("--mb", type=int, default=1024)
    ap.add_argument("--tools", default="shivx,restic,borg")
    args = ap.parse_args()
    corpus = os.path.join(args.dir, "corpus")
    work = os.path.join(args.dir, "work")
    shm = "/dev/shm/shivx-bench-restore"
    print("generating the corpus in %s ..." % corpus, flush=True)
    # The corpus is regenerated every run: the incremental step edits it.
    for f in os.listdir(corpus) if os.path.isdir(corpus) else []:
        if f.startswith(".complete"):
            os.unlink(os.path.join(corpus, f))
    make_corpus(corpus, args.mb)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tools = []
    for name in args.tools.split(","):
        tools.append({"shivx": lambda: Shivx(os.path.abspath(args.shivx), work, corpus),
                      "restic": lambda: Restic(work, corpus),
                      "borg": lambda: Borg(work, corpus)}[name]())
    corpus_bytes = size_of(corpus)
    nfiles = len(corpus_files(corpus))
    print("corpus: %d files, %.0f MB" % (nfiles, corpus_bytes / 1e6), flush=True)
    results = {t.name: {} for t in tools}
    for t in tools:
        t.init()
    for t in tools:
        warm(corpus)
        results[t.name]["first"] = t.backup(1)
        results[t.name]["size"] = size_of(t.repo)
    changed, total = change_one_percent(corpus, 99)
    print("changed %d of %d files" % (changed, total), flush=True)
    for t in tools:
        warm(corpus)
        results[t.name]["incr"] = t.backup(2)
        results[t.name]["size2"] = size_of(t.repo)
    for t in tools:
        warm(t.repo)
        results[t.name]["verify"] = t.verify()
    for t in tools:
        shutil.rmtree(shm, ignore_errors=True)
        warm(t.repo)
        results[t.name]["restore"] = t.restore(shm)
        shutil.rmtree(shm, ignore_errors=True)
    tar = os.path.join(work, "corpus.tar")
    subprocess.run(["tar", "cf", tar, "-C", corpus, "."], check=True)
    warm(tar)
    os.makedirs(shm)
    tar_secs = run(["tar", "xf", tar, "-C", shm])[0]
    shutil.rmtree(shm, ignore_errors=True)

    print()
    print("| step | " + " | ".join(t.name for t in tools) + " | tar x |")
    print("| --- |" + " --- |" * (len(tools) + 1))
    rows = (("first backup (s)", "first", "%.2f"), ("repository after first (MB)", "size", "%.0f"),
            ("incremental after 1%% changed (s)", "incr", "%.2f"),
            ("repository after second (MB)", "size2", "%.0f"),
            ("verify, full read (s)", "verify", "%.2f"), ("restore to tmpfs (s)", "restore", "%.2f"))
    for label, key, fmt in rows:
        cells = []
        for t in tools:
            v = results[t.name][key]
            cells.append(fmt % (v / 1e6 if key.startswith("size") else v))
        extra = "%.2f" % tar_secs if key == "restore" else ""
        print("| %s | %s | %s |" % (label.replace("%%", "%"), " | ".join(cells), extra))
    if "shivx" in results and "restic" in results:
        s, r = results["shivx"], results["restic"]
        print()
        print("shivx/restic: first %.2f (goal <= 0.5), size %.2f (goal <= 1), incremental %.2f "
              "(goal <= 0.5), verify %.2f (goal <= 0.7); restore/tar %.2f (goal <= 1.2)"
              % (s["first"] / r["first"], s["size"] / r["size"], s["incr"] / r["incr"],
                 s["verify"] / r["verify"], s["restore"] / tar_secs))


if __name__ == "__main__":
    main()
