#!/usr/bin/env python3
"""Reference verifier for the ShivX audit chain (docs/audit-format.md), independent of ShivX.

Python 3.8+ standard library only. Checks, per stream directory:
  * every line is the canonical JSON of its entry (json.dumps(sort_keys=True,
    separators=(",", ":"), ensure_ascii=False)) followed by "\n";
  * hash == sha256(canonical JSON without "hash" + prev), prev links, seq continuity from 1,
    the stream name, across segments (plain .ndjson and, see below, .ndjson.zst);
  * each .seal (sha256, entries, first/last seq, last hash, prev) against its segment;
  * head.json against the last entry;
  * each checkpoint: canonical line, key fingerprint == sha256(raw public key), the chain has
    an entry with that seq and exactly that hash, and no checkpoint lies beyond the chain's end
    (missing tail). Ed25519 signatures are checked with the `openssl` command when it is on
    PATH (Python's standard library has no Ed25519); otherwise the script prints the commands.

Compressed segments: Python's standard library has no zstd before 3.14. The script uses
`compression.zstd` (3.14+), the `zstandard` module, or the `zstd` command (zstd -dc) in that
order; with none of them it skips the segment with a message and continues the chain from the
segment's .seal (the result then says "unverified segments"). To check one by hand:
    zstd -dc seg-000001.ndjson.zst | sha256sum      # must equal "sha256" in seg-000001.seal

Usage:
    audit_verify.py [--public-key FILE] [--print-hashes] [--no-openssl] PATH...
PATH is a data directory (with audit/ inside), an audit directory or one stream directory.
    audit_verify.py --canonical < values.ndjson     prints the canonical form of each JSON line
Exit status: 0 intact, 1 problems found, 2 usage or unreadable input.
"""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ENTRY_KEYS = ["action", "actor", "data", "hash", "prev", "seq", "stream", "ts"]
CHECKPOINT_KEYS = ["hash", "key", "seq", "sig", "stream", "ts"]
GENESIS = "0" * 64
# Segment file names (docs/audit-format.md "Segment files"): the number zero-padded to six digits,
# more digits only from 1000000 on (at most nine), never 0. Anything else is not a segment file.
SEGMENT_RE = re.compile(r"^seg-(0\d{5}|[1-9]\d{5,8})\.(ndjson|ndjson\.zst|seal)$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256hex(data):
    return hashlib.sha256(data).hexdigest()


def no_floats(value):
    """Python would write 1.0 where the writer wrote 1: the format has integers only."""
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(no_floats(v) for v in value.values())
    if isinstance(value, list):
        return all(no_floats(v) for v in value)
    return True


def decompress(path):
    try:
        from compression import zstd  # Python 3.14+
        with open(path, "rb") as f:
            return zstd.decompress(f.read()), None
    except ImportError:
        pass
    try:
        import zstandard
        with open(path, "rb") as f:
            return zstandard.ZstdDecompressor().decompressobj().decompress(f.read()), None
    except ImportError:
        pass
    if shutil.which("zstd"):
        run = subprocess.run(["zstd", "-dc", "--", path], capture_output=True)
        if run.returncode != 0:
            return None, "zstd -dc failed: " + run.stderr.decode(errors="replace").strip()
        return run.stdout, None
    return None, "skipped: no zstd (install the zstd command or the zstandard module)"


def raw_public_key(pem_text):
    body = "".join(l for l in pem_text.splitlines() if l and not l.startswith("-----"))
    der = base64.b64decode(body)
    return der[-32:]  # Ed25519 SubjectPublicKeyInfo ends with the 32-byte key


def openssl_verify(pub_path, message, sig_hex):
    with tempfile.TemporaryDirectory() as tmp:
        msg, sig = os.path.join(tmp, "msg"), os.path.join(tmp, "sig")
        with open(msg, "wb") as f:
            f.write(message)
        with open(sig, "wb") as f:
            f.write(bytes.fromhex(sig_hex))
        run = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub_path,
                              "-rawin", "-in", msg, "-sigfile", sig], capture_output=True)
        return run.returncode == 0


class StreamVerifier:
    def __init__(self, directory, args):
        self.dir = directory
        self.name = os.path.basename(os.path.normpath(directory))
        self.args = args
        self.problems = []
        self.notes = []
        self.hashes = {}       # seq -> hash, only for checkpointed seqs
        self.wanted = set()
        self.seq = 0
        self.hash = GENESIS
        self.entries = 0

    def problem(self, where, text):
        self.problems.append("%s/%s: %s" % (self.name, where, text))

    def segments(self):
        found = {}
        for f in os.listdir(self.dir):
            m = SEGMENT_RE.match(f)
            if m and int(m.group(1)) > 0 and os.path.isfile(os.path.join(self.dir, f)):
                found.setdefault(int(m.group(1)), {})[m.group(2)] = os.path.join(self.dir, f)
        return sorted(found.items())

    def verify_lines(self, label, data):
        if data and not data.endswith(b"\n"):
            self.problem(label, "does not end with a newline (torn tail?)")
        for number, line in enumerate(data.split(b"\n")[:-1] if data else [], start=1):
            where = "%s:%d" % (label, number)
            try:
                entry = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                self.problem(where, "not JSON: %s" % e)
                return False
            if not isinstance(entry, dict) or sorted(entry) != ENTRY_KEYS:
                self.problem(where, "members are not %s" % ENTRY_KEYS)
                return False
            if not no_floats(entry) or canonical(entry) != line:
                self.problem(where, "line is not canonical JSON")
                return False
            if not (HEX64.match(str(entry["hash"])) and HEX64.match(str(entry["prev"]))
                    and isinstance(entry["seq"], int) and TS_RE.match(str(entry["ts"]))
                    and isinstance(entry["data"], dict)):
                self.problem(where, "a member has the wrong type or shape")
                return False
            hashed = dict(entry)
            del hashed["hash"]
            computed = sha256hex(canonical(hashed) + entry["prev"].encode("ascii"))
            if computed != entry["hash"]:
                self.problem(where, "hash mismatch at seq %d: line says %s, computed %s"
                             % (entry["seq"], entry["hash"], computed))
                return False
            if entry["seq"] != self.seq + 1:
                self.problem(where, "seq %d follows %d" % (entry["seq"], self.seq))
                return False
            if entry["prev"] != self.hash:
                self.problem(where, "prev of seq %d is not the hash of seq %d" % (entry["seq"], self.seq))
                return False
            if entry["stream"] != self.name:
                self.problem(where, "entry names stream %r" % entry["stream"])
                return False
            self.seq, self.hash = entry["seq"], entry["hash"]
            self.entries += 1
            if self.seq in self.wanted:
                self.hashes[self.seq] = self.hash
            if self.args["print_hashes"]:
                print("%s %d %s" % (self.name, self.seq, self.hash))
        return True

    def run(self):
        checkpoints = self.read_checkpoints()
        self.wanted = {c["seq"] for c in checkpoints}
        segments = self.segments()
        expected_number = segments[0][0] if segments else 1
        seen_data = False
        for number, files in segments:
            label = "seg-%06d.ndjson" % number
            if number != expected_number:
                self.problem(label, "segment seg-%06d is missing" % expected_number)
                return
            expected_number += 1
            seal = None
            if "seal" in files:
                with open(files["seal"], "rb") as f:
                    seal = json.loads(f.read().decode("utf-8"))
            if "ndjson" in files:
                with open(files["ndjson"], "rb") as f:
                    data = f.read()
            elif "ndjson.zst" in files:
                data, why = decompress(files["ndjson.zst"])
                label += ".zst"
                if data is None:
                    self.notes.append("%s/%s: %s; chain continued from its seal" % (self.name, label, why))
            else:
                data = None
                if seen_data:
                    self.problem(label, "data file missing (only the seal is left)")
                    return
                self.notes.append("%s/%s: removed by retention; chain starts from its seal" % (self.name, label))
            if data is None:
                if seal is None:
                    self.problem(label, "no data and no seal")
                    return
                if seen_data and seal["prev"] != self.hash:
                    self.problem(label, "seal prev does not continue the chain")
                    return
                self.seq, self.hash = seal["last_seq"], seal["last_hash"]
                continue
            seen_data = True
            if self.seq == 0 and seal is None and number > 1:
                self.problem(label, "chain starts without a seal of the segment before")
            if seal is not None:
                if self.seq == 0 and seal["first_seq"] > 1:
                    self.seq, self.hash = seal["first_seq"] - 1, seal["prev"]  # after retention
                if sha256hex(data) != seal["sha256"] or len(data) != seal["bytes"]:
                    self.problem(label, "segment bytes differ from its seal (sha256 %s)" % seal["sha256"])
                    return
            first = self.seq + 1
            if not self.verify_lines(label, data):
                return
            if seal is not None and (seal["first_seq"] != first or seal["last_seq"] != self.seq
                                     or seal["last_hash"] != self.hash
                                     or seal["entries"] != self.seq - first + 1):
                self.problem(label, "seal does not describe the segment")
                return
        self.check_head()
        self.check_checkpoints(checkpoints)

    def read_checkpoints(self):
        path = os.path.join(self.dir, "checkpoints.ndjson")
        out = []
        if not os.path.exists(path):
            return out
        with open(path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if lines[-1]:
            # A partial append (a crash, a full disk); the next writer moves it to torn/.
            self.problem("checkpoints.ndjson:%d" % len(lines), "does not end with a newline (torn write?)")
        for number, line in enumerate(lines[:-1], start=1):
            try:
                cp = json.loads(line.decode("utf-8"))
            except ValueError:
                self.problem("checkpoints.ndjson:%d" % number, "not JSON")
                continue
            if not isinstance(cp, dict) or sorted(cp) != CHECKPOINT_KEYS or canonical(cp) != line:
                self.problem("checkpoints.ndjson:%d" % number, "not a canonical checkpoint line")
                continue
            cp["line"] = number
            out.append(cp)
        return out

    def check_head(self):
        path = os.path.join(self.dir, "head.json")
        if not os.path.exists(path):
            if self.seq > 0:
                self.problem("head.json", "missing")
            return
        with open(path, "rb") as f:
            head = json.loads(f.read().decode("utf-8"))
        if head.get("seq") != self.seq or head.get("hash") != self.hash:
            self.problem("head.json", "says seq %s but the chain ends at seq %d" % (head.get("seq"), self.seq))

    def check_checkpoints(self, checkpoints):
        pub_path, fingerprint = self.args["public_key"], self.args["fingerprint"]
        for cp in checkpoints:
            where = "checkpoints.ndjson:%d" % cp["line"]
            if cp["stream"] != self.name:
                self.problem(where, "names stream %r" % cp["stream"])
            if fingerprint and cp["key"] != fingerprint:
                self.problem(where, "signed by key %s, not %s" % (cp["key"], fingerprint))
            if cp["seq"] > self.seq:
                self.problem(where, "missing tail: checkpoint at seq %d, chain ends at %d" % (cp["seq"], self.seq))
            elif cp["seq"] in self.hashes and self.hashes[cp["seq"]] != cp["hash"]:
                self.problem(where, "checkpoint hash differs from the chain at seq %d" % cp["seq"])
            elif cp["seq"] not in self.hashes:
                self.notes.append("%s/%s: seq %d is in a segment that was not read" % (self.name, where, cp["seq"]))
            message = canonical({k: cp[k] for k in ("hash", "seq", "stream", "ts")})
            if pub_path and self.args["openssl"]:
                if not openssl_verify(pub_path, message, cp["sig"]):
                    self.problem(where, "signature does not verify")
        if checkpoints and not (pub_path and self.args["openssl"]):
            self.notes.append("%s: signatures not checked (need --public-key/keys/checkpoint.pub and openssl); "
                              "see docs/audit-format.md for the openssl commands" % self.name)


def stream_dirs(path):
    if os.path.exists(os.path.join(path, "audit")):
        path = os.path.join(path, "audit")
    if any(SEGMENT_RE.match(f) for f in os.listdir(path)):
        return [path], os.path.join(os.path.dirname(os.path.normpath(path)), "keys", "checkpoint.pub")
    dirs = [os.path.join(path, d) for d in sorted(os.listdir(path))
            if d != "keys" and os.path.isdir(os.path.join(path, d))]
    return dirs, os.path.join(path, "keys", "checkpoint.pub")


def canonical_filter():
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        if line:
            sys.stdout.buffer.write(canonical(json.loads(line.decode("utf-8"))) + b"\n")
    return 0


def main(argv):
    args = {"public_key": None, "print_hashes": False, "openssl": bool(shutil.which("openssl"))}
    paths = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--canonical":
            return canonical_filter()
        if a == "--public-key" and i + 1 < len(argv):
            args["public_key"] = argv[i + 1]
            i += 1
        elif a == "--print-hashes":
            args["print_hashes"] = True
        elif a == "--no-openssl":
            args["openssl"] = False
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            print("audit_verify.py: unknown option %s" % a, file=sys.stderr)
            return 2
        else:
            paths.append(a)
        i += 1
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    problems, notes = [], []
    for path in paths:
        if not os.path.isdir(path):
            print("audit_verify.py: %s is not a directory" % path, file=sys.stderr)
            return 2
        dirs, default_pub = stream_dirs(path)
        pub = args["public_key"] or (default_pub if os.path.exists(default_pub) else None)
        run_args = dict(args, public_key=pub, fingerprint=None)
        if pub:
            with open(pub) as f:
                run_args["fingerprint"] = sha256hex(raw_public_key(f.read()))
        for d in dirs:
            v = StreamVerifier(d, run_args)
            v.run()
            problems += v.problems
            notes += v.notes
            print("%s: %d entries, last seq %d, %s" % (v.name, v.entries, v.seq,
                  "INTACT" if not v.problems else "PROBLEMS"), file=sys.stderr)
    for n in notes:
        print("note: " + n, file=sys.stderr)
    for p in problems:
        print("problem: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
