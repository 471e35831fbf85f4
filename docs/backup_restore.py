#!/usr/bin/env python3
"""Reference restorer for ShivX backup repositories (docs/backup-format.md).

Restores one snapshot from the repository's files and a passphrase or key file, without
ShivX: the standard library, python3-cryptography for AES-256-GCM and the `zstd` command.
Every object is authenticated (GCM tag, then HMAC-SHA-256 id) and every file is checked
against the manifest's SHA-256 before it is renamed into place.

    SHIVX_BACKUP_PASSWORD=... backup_restore.py REPO SNAPSHOT TARGET
    backup_restore.py --password-file F REPO latest TARGET
    backup_restore.py --key-file K REPO 3fa2c1 TARGET

SNAPSHOT is `latest` or a prefix of a snapshot id (the file name under snapshots/).
Entries are restored at TARGET/<their absolute path>. Exit status: 0 ok, 1 failure.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENTRY = struct.Struct("<B32sIII")  # type, id, offset, length, raw length


class Failure(Exception):
    pass


def open_sealed(key, sealed, aad):
    """nonce (12) || ciphertext || tag (16), AES-256-GCM."""
    if len(sealed) < 28:
        raise InvalidTag()
    return AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def unlock(repo, password, keyfile):
    tried = 0
    for name in sorted(os.listdir(os.path.join(repo, "keys"))):
        if not name.endswith(".json"):
            continue
        slot = json.loads(read(os.path.join(repo, "keys", name)))
        kdf = slot["kdf"]
        salt = base64.b64decode(kdf["salt"])
        if kdf["name"] == "scrypt" and password is not None:
            n, r, p = kdf["n"], kdf["r"], kdf["p"]
            wrap = hashlib.scrypt(password, salt=salt, n=n, r=r, p=p,
                                  maxmem=256 * r * n + (1 << 20), dklen=32)
        elif kdf["name"] == "hmac-sha256" and keyfile is not None:
            wrap = hmac.new(keyfile, salt, hashlib.sha256).digest()
        else:
            continue
        tried += 1
        try:
            master = open_sealed(wrap, base64.b64decode(slot["wrapped"]), b"SHXKEYSLOT")
        except InvalidTag:
            continue
        return master[:32], master[32:64]
    raise Failure("wrong passphrase or key file: none of the %d matching key slots opens" % tried)


def load_index(repo, enc):
    index = {}
    folder = os.path.join(repo, "index")
    for name in sorted(os.listdir(folder)):
        if ".tmp-" in name:
            continue
        data = read(os.path.join(folder, name))
        if data[:8] != b"SHXINDX\x01" or hashlib.sha256(data).hexdigest() != name:
            raise Failure("index file %s is damaged" % name)
        try:
            plain = open_sealed(enc, data[8:], b"SHXINDEX")
        except InvalidTag:
            raise Failure("index file %s fails authentication" % name)
        at = 0
        while at < len(plain):
            pack, count = plain[at:at + 32].hex(), struct.unpack_from("<I", plain, at + 32)[0]
            at += 36
            for _ in range(count):
                btype, oid, off, length, raw = ENTRY.unpack_from(plain, at)
                at += ENTRY.size
                index.setdefault(oid, (pack, off, length, raw, btype))
    return index


def find_snapshot(repo, spec, enc):
    folder = os.path.join(repo, "snapshots")
    snaps = []
    for name in os.listdir(folder):
        if len(name) != 64:
            continue
        data = read(os.path.join(folder, name))
        if data[:8] != b"SHXSNAP\x01":
            raise Failure("snapshot %s is not a snapshot" % name)
        try:
            doc = json.loads(open_sealed(enc, data[8:], b"SHXSNAPS"))
        except InvalidTag:
            raise Failure("snapshot %s fails authentication" % name)
        snaps.append((doc["time"], name, doc))
    snaps.sort()
    if spec == "latest" and snaps:
        return snaps[-1][1], snaps[-1][2]
    found = [s for s in snaps if s[1].startswith(spec.lower())]
    if len(found) != 1:
        raise Failure("snapshot %s: %d match" % (spec, len(found)))
    return found[0][1], found[0][2]


class Reader:
    def __init__(self, repo, enc, idkey, index):
        self.repo, self.enc, self.idkey, self.index = repo, enc, idkey, index

    def blob(self, oid):
        if oid not in self.index:
            raise Failure("object %s is not in the index" % oid.hex())
        pack, off, length, raw_len, btype = self.index[oid]
        path = os.path.join(self.repo, "data", pack[:2], pack)
        with open(path, "rb") as f:
            f.seek(off)
            sealed = f.read(length)
        if len(sealed) != length:
            raise Failure("pack %s is truncated" % path)
        try:
            plain = open_sealed(self.enc, sealed, bytes([btype]) + oid)
        except InvalidTag:
            raise Failure("object %s in pack %s fails authentication" % (oid.hex(), path))
        if plain[0] == 0:
            raw = plain[1:]
        elif plain[0] == 1:
            raw = subprocess.run(["zstd", "-d", "-c", "-q"], input=plain[1:],
                                 stdout=subprocess.PIPE, check=True).stdout
        else:
            raise Failure("object %s: unknown compression %d" % (oid.hex(), plain[0]))
        if len(raw) != raw_len or not hmac.compare_digest(
                hmac.new(self.idkey, raw, hashlib.sha256).digest(), oid):
            raise Failure("object %s does not match its id" % oid.hex())
        return raw

    def tree(self, hexid):
        return json.loads(self.blob(bytes.fromhex(hexid)))["nodes"]


def name_of(node, key="name"):
    if key in node:
        return node[key].encode("utf-8", "surrogateescape")
    return base64.b64decode(node[key + "_b64"])


def set_meta(path, node, follow=True):
    ns = node["mtime"][0] * 10**9 + node["mtime"][1]
    if follow:
        os.chmod(path, node["mode"])
    if os.geteuid() == 0:
        os.chown(path, node["uid"], node["gid"], follow_symlinks=follow)
    os.utime(path, ns=(ns, ns), follow_symlinks=follow)


def restore_tree(reader, hexid, dest, dirs):
    for node in reader.tree(hexid):
        path = os.path.join(dest, name_of(node))
        kind = node["type"]
        if kind == "dir":
            os.makedirs(path, exist_ok=True)
            restore_tree(reader, node["subtree"], path, dirs)
            dirs.append((path, node))
        elif kind == "symlink":
            if os.path.lexists(path):
                os.unlink(path)
            os.symlink(name_of(node, "target"), path)
            set_meta(path, node, follow=False)
        else:
            tmp = path + b".restore-tmp"
            digest = hashlib.sha256()
            with open(tmp, "wb") as out:
                for chunk in node["chunks"]:
                    data = reader.blob(bytes.fromhex(chunk))
                    digest.update(data)
                    out.write(data)
            if digest.hexdigest() != node["sha256"] or os.path.getsize(tmp) != node["size"]:
                os.unlink(tmp)
                raise Failure("%s does not match the manifest" % path.decode(errors="replace"))
            os.replace(tmp, path)
            set_meta(path, node)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--password-file")
    ap.add_argument("--key-file")
    ap.add_argument("repo")
    ap.add_argument("snapshot")
    ap.add_argument("target")
    args = ap.parse_args()
    password = keyfile = None
    if args.key_file:
        keyfile = bytes.fromhex(read(args.key_file).decode().strip())
    elif args.password_file:
        password = read(args.password_file).split(b"\n")[0].rstrip(b"\r")
    elif os.environ.get("SHIVX_BACKUP_PASSWORD"):
        password = os.environb[b"SHIVX_BACKUP_PASSWORD"]
    else:
        print("backup_restore.py: no passphrase (--password-file, SHIVX_BACKUP_PASSWORD) "
              "or --key-file", file=sys.stderr)
        return 1
    try:
        config = json.loads(read(os.path.join(args.repo, "config")))
        if config.get("format") != "shivx-backup" or config.get("version") != 1:
            raise Failure("%s is not a version 1 ShivX repository" % args.repo)
        enc, idkey = unlock(args.repo, password, keyfile)
        reader = Reader(args.repo, enc, idkey, load_index(args.repo, enc))
        name, snap = find_snapshot(args.repo, args.snapshot, enc)
        target = os.fsencode(os.path.abspath(args.target))
        os.makedirs(target, exist_ok=True)
        dirs = []
        restore_tree(reader, snap["tree"], target, dirs)
        for path, node in dirs:  # deepest first: children change a directory's mtime
            set_meta(path, node)
    except Failure as e:
        print("backup_restore.py: %s" % e, file=sys.stderr)
        return 1
    print("restored snapshot %s (%s) to %s" % (name[:12], snap["time"], args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
