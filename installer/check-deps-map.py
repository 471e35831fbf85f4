#!/usr/bin/env python3
"""Maps the system files a configure, build and run read to their Debian packages and fails
for each file whose package a fresh Debian 12 would not have after install-deps.sh.

Called by installer/check-deps.sh, which collects the files; see its header for the steps.
A package counts as present when it is in the install list (`install-deps.sh [--test] --list`),
essential or of priority required (what `debootstrap --variant=minbase` installs), or pulled
in from those through Depends or Pre-Depends. Recommends do not count: the installer uses
--no-install-recommends. Of alternatives (a | b) the first one installed here counts.

Inputs, each tagged with the list it is judged against ("base": build and run; "test": the
test suite, base + --test):
  --trace LIST FILE   strace output (-f -y, open/openat/execve; successful calls only)
  --paths LIST FILE   one path a line (compiler depfiles, tools and libraries named on
                      command lines)
  --maps FILE         /proc/PID/maps of a running program: of the Qt plugins opened, only
                      those it mapped count (Qt opens every plugin of a folder to read its
                      metadata, and loads only the ones it needs)
  --exclude DIR       not system files (source, build and temporary folders)
  --base PKGS / --test PKGS  the install lists, comma-separated
Exit status 0 when every file is covered, 1 otherwise (each failing file is named).
"""
import argparse
import fnmatch
import os
import re
import subprocess
import sys
from collections import defaultdict

IGNORED_TREES = ("/proc/", "/sys/", "/dev/", "/run/", "/tmp/", "/var/tmp/", "/var/cache/")
USR_MERGED = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Files a program reads when they are present and does well without: (pattern, why).
# Only for files whose absence changes nothing a user or a test relies on.
OPTIONAL = [
    ("/etc/ld.so.conf.d/*", "the linker reads every file of the folder, to find libraries"),
    ("*/locale.alias", "glibc's setlocale() reads it when present"),
    ("*/ssl/openssl.cnf", "OpenSSL reads its configuration when present, defaults otherwise"),
    ("/var/lib/dbus/machine-id", "Qt reads it when present, else /etc/machine-id"),
    ("/usr/lib/*/libXcursor.so.*", "Qt's xcb plugin loads it when present, for cursor themes"),
    ("/usr/lib/*/libXrender.so.*", "a library of libXcursor (above)"),
    ("/usr/share/icons/*", "icon and cursor themes, used when present"),
]


def read_trace(path, drop_failed):
    """Absolute paths opened or executed successfully, as requested and as resolved. With
    drop_failed, what a process read that then exited non-zero does not count: probes that
    failed, such as `pkg-config --exists` of a module that is not installed (pkgconf then
    reads every .pc file to suggest another) or a compiler check, were not needed."""
    by_pid = defaultdict(set)
    failed = set()
    pending = {}  # pid -> path of an execve whose result strace printed on a later line
    path_arg = re.compile(r'(?:open|openat)\((?:[^,]+, )?"((?:[^"\\]|\\.)*)"')
    fd_path = re.compile(r"= \d+<(.*?)( \(deleted\))?>$")
    exec_start = re.compile(r'execve\("((?:[^"\\]|\\.)*)"')
    exited = re.compile(r"\+\+\+ exited with (\d+) \+\+\+$")
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"(\d+) +(.*)", line)  # strace pads the PID column
            pid, call = (m.group(1), m.group(2)) if m else ("", line)
            m = exec_start.match(call)
            if m:
                if call.endswith("<unfinished ...>"):
                    pending[pid] = m.group(1)
                elif call.endswith(" = 0"):
                    by_pid[pid].add(m.group(1))
                continue
            if call.startswith("<... execve resumed>"):
                if call.endswith(" = 0") and pid in pending:
                    by_pid[pid].add(pending.pop(pid))
                continue
            m = exited.match(call)
            if m:
                if m.group(1) != "0":
                    failed.add(pid)
                continue
            m = fd_path.search(call)
            if m and (call.startswith("open") or call.startswith("<... open")):
                by_pid[pid].add(m.group(1))
                a = path_arg.match(call)
                if a and a.group(1).startswith("/"):
                    by_pid[pid].add(a.group(1))
    found = set()
    for pid, paths in by_pid.items():
        if not (drop_failed and pid in failed):
            found |= paths
    return found


def read_maps(path):
    mapped = set()
    with open(path, errors="replace") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and parts[5].startswith("/"):
                mapped.add(os.path.realpath(parts[5].strip()))
    return mapped


def usr_merge_twin(p):
    """/lib/x <-> /usr/lib/x: dpkg knows a file under the name its package ships."""
    parts = p.split("/")
    if len(parts) > 2 and parts[1] in USR_MERGED:
        return "/usr" + p
    if len(parts) > 3 and parts[1] == "usr" and parts[2] in USR_MERGED:
        return p[4:]
    return None


def symlink_chain(p):
    """p and every path its final component's symlinks lead through, in order."""
    chain = [p]
    for _ in range(40):
        cur = chain[-1]
        if not os.path.islink(cur):
            break
        nxt = os.path.normpath(os.path.join(os.path.dirname(cur), os.readlink(cur)))
        if nxt in chain:
            break
        chain.append(nxt)
    real = os.path.realpath(p)
    if real not in chain:
        chain.append(real)
    return chain


def dpkg_owners(paths):
    owners = defaultdict(set)
    paths = sorted(paths)
    for i in range(0, len(paths), 2000):
        out = subprocess.run(["dpkg-query", "-S", *paths[i:i + 2000]], capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            if line.startswith("diversion by"):
                continue
            pkgs, sep, path = line.partition(": ")
            if sep:
                for pkg in pkgs.split(", "):
                    owners[path].add(pkg.split(":")[0])
    return owners


class Packages:
    """The installed packages and their relations, from dpkg's database."""

    FIELDS = ["Package", "db:Status-Abbrev", "Essential", "Priority", "Provides",
              "Pre-Depends", "Depends", "Recommends"]

    def __init__(self):
        fmt = "\\t".join("${%s}" % f for f in self.FIELDS) + "\\n"
        out = subprocess.run(["dpkg-query", "-W", "-f=" + fmt], capture_output=True,
                             text=True, check=True).stdout
        self.info = {}
        self.providers = defaultdict(set)
        for line in out.splitlines():
            row = dict(zip(self.FIELDS, line.split("\t")))
            if len(row.get("db:Status-Abbrev", "")) < 2 or row["db:Status-Abbrev"][1] != "i":
                continue
            self.info[row["Package"]] = row
            for group in self.relation(row["Provides"]):
                for name in group:
                    self.providers[name].add(row["Package"])

    @staticmethod
    def relation(field):
        """'a (>= 1) | b:any, c' -> [['a', 'b'], ['c']]"""
        groups = []
        for group in field.split(","):
            alts = []
            for alt in group.split("|"):
                name = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alt).strip().split(":")[0]
                if name:
                    alts.append(name)
            if alts:
                groups.append(alts)
        return groups

    def resolve(self, name):
        if name in self.info:
            return {name}
        return set(self.providers.get(name, ()))

    def closure(self, seeds):
        present = set()
        todo = list(seeds)
        while todo:
            pkg = todo.pop()
            if pkg in present:
                continue
            present.add(pkg)
            row = self.info[pkg]
            for group in self.relation(row["Pre-Depends"]) + self.relation(row["Depends"]):
                for alt in group:
                    chosen = self.resolve(alt)
                    if chosen:
                        todo.extend(chosen - present)
                        break
        return present

    def minbase(self):
        return {p for p, row in self.info.items()
                if row["Essential"] == "yes" or row["Priority"] == "required"}

    def recommended_by(self, pkg, among):
        return sorted(p for p in among
                      if any(pkg in self.resolve_all(g) for g in
                             self.relation(self.info[p]["Recommends"])))

    def resolve_all(self, group):
        return set().union(*(self.resolve(a) for a in group))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trace", nargs=2, action="append", default=[], metavar=("LIST", "FILE"))
    ap.add_argument("--paths", nargs=2, action="append", default=[], metavar=("LIST", "FILE"))
    ap.add_argument("--maps", action="append", default=[])
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--base", required=True)
    ap.add_argument("--test", default="")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    read = defaultdict(set)  # list -> paths
    for lst, f in args.trace:
        read[lst] |= read_trace(f, drop_failed=(lst == "base"))
    for lst, f in args.paths:
        with open(f) as fh:
            read[lst] |= {line.strip() for line in fh if line.startswith("/")}
    mapped = set()
    for f in args.maps:
        mapped |= read_maps(f)

    excluded = tuple(os.path.realpath(d).rstrip("/") + "/" for d in args.exclude)
    # The account's own files are no system files: an SSH test's sshd runs the user's shell,
    # which reads its dotfiles (on the CI machine ~/.bashrc starts pyenv), and apt installs
    # nothing there.
    home = os.path.realpath(os.path.expanduser("~")).rstrip("/") + "/"
    if home != "/":
        excluded += (home,)

    def system_file(p):
        real = os.path.realpath(p)
        if not os.path.isfile(real):
            return False
        if any(x.startswith(excluded + IGNORED_TREES) for x in (p + "/", real + "/")):
            return False
        if "/qt6/plugins/" in real and real.endswith(".so") and real not in mapped:
            return False
        return True

    files = {lst: {p for p in ps if system_file(p)} for lst, ps in read.items()}
    chains = {p: symlink_chain(p) for ps in files.values() for p in ps}
    names = set()
    for chain in chains.values():
        for hop in chain:
            names.add(hop)
            twin = usr_merge_twin(hop)
            if twin:
                names.add(twin)
            names.add(os.path.dirname(hop))
    owners = dpkg_owners(names)

    def owners_of(hop):
        return owners.get(hop, set()) | owners.get(usr_merge_twin(hop) or "", set())

    db = Packages()
    lists = {"base": args.base.split(","), "test": args.base.split(",") + args.test.split(",")}
    status = 0
    for lst in sorted(files):
        wanted = [p for p in lists[lst] if p]
        missing = [p for p in wanted if p not in db.info]
        if missing:
            print(f"check-deps: in the install list but not installed here: {' '.join(missing)}"
                  " (run installer/install-deps.sh --test first)", file=sys.stderr)
            return 2
        present = db.closure(set(wanted) | db.minbase())
        problems = {}  # path read -> (packages, why)
        unowned = []
        used = set()
        for p in sorted(files[lst]):
            chain = chains[p]
            hops = [(hop, owners_of(hop)) for hop in chain]
            if not any(o for _, o in hops):
                # Generated files (caches, .pyc) belong to no package: the folder's owner
                # made them. A file from no package in a folder of none is not Debian's.
                dir_owners = owners_of(os.path.dirname(chain[-1]))
                if not dir_owners:
                    problems[p] = (set(), "belongs to no Debian package")
                elif not dir_owners & present:
                    problems[p] = (dir_owners, "was made in a folder of")
                else:
                    unowned.append(p)
                continue
            lacking = set()
            for hop, own in hops:
                if own and not own & present:
                    lacking |= own
                used |= own & present
            if lacking:
                problems[p] = (lacking, "belongs to")
        optional = {p: why for p in problems for pattern, why in OPTIONAL
                    if any(fnmatch.fnmatchcase(x, pattern) for x in chains[p])}
        print(f"check-deps: {lst}: {len(files[lst])} system files read, from {len(used)} "
              f"packages of the install list and what it depends on"
              + (f"; {len(unowned)} generated in their folders" if unowned else "")
              + (f"; {len(optional)} read when present (see OPTIONAL)" if optional else ""))
        if args.verbose:
            for p in unowned:
                print(f"  generated (no package): {p}")
            for p, why in sorted(optional.items()):
                print(f"  read when present: {p} ({', '.join(sorted(problems[p][0]))}): {why}")
        after = "install-deps.sh" + (" --test" if lst == "test" else "")
        for p, (own, why) in sorted(problems.items()):
            if p in optional:
                continue
            status = 1
            if not own:
                print(f"check-deps: {p} is read, but {why}", file=sys.stderr)
                continue
            hint = ""
            for pkg in sorted(own):
                rec = db.recommended_by(pkg, present)
                if rec:
                    hint = f" ({pkg} is only a Recommends of {', '.join(rec)})"
                    break
            print(f"check-deps: {p} is read, but it {why} {', '.join(sorted(own))}, which a "
                  f"fresh Debian 12 does not have after {after}{hint}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
