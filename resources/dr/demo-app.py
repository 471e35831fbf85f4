#!/usr/bin/env python3
"""The DR demo's application: serves /healthz on 127.0.0.1:PORT, healthy (200) while its
SQLite database passes PRAGMA integrity_check and holds its items, and every file of its data
directory's catalog.json is there with the recorded size. `--check` runs the same test once and
exits 0 or 1 (the host-rebuild plan checks a restored tree with it). Standard library only."""
import argparse
import http.server
import json
import os
import sqlite3
import sys


def problem(db, data):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return "database fails its integrity check"
            if con.execute("SELECT count(*) FROM items").fetchone()[0] < 1:
                return "database holds no items"
        finally:
            con.close()
    except sqlite3.Error as e:
        return f"database: {e}"
    try:
        with open(os.path.join(data, "catalog.json")) as f:
            catalog = json.load(f)
        for name, size in catalog.items():
            if os.path.getsize(os.path.join(data, name)) != size:
                return f"{name} has the wrong size"
    except (OSError, ValueError) as e:
        return f"data: {e}"
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    if a.check:
        why = problem(a.db, a.data)
        print(why or "healthy")
        return 1 if why else 0

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            why = problem(a.db, a.data) if self.path == "/healthz" else "not found"
            body = (why or "ok").encode() + b"\n"
            self.send_response(503 if why else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", a.port), Handler)
    print(f"demo app on port {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
