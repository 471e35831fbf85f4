#!/usr/bin/env python3
"""Alerting benchmarks: shivx beside Prometheus + Alertmanager, in one run, on loopback.

    python3 bench/alerting/bench_alerting.py latency [--shivx build/app/cli/shivx] [--trials 3]
                                                     [--no-defaults]
    python3 bench/alerting/bench_alerting.py cost [--shivx ...] [--rules 200] [--seconds 120]

latency: the time from the moment a condition becomes true (the degradation level is pinned
over the API; the rule is `shivx_degradation_pinned == 1`, `for: 0s`) to a webhook receiver
on loopback getting the firing alert. In the same trial, four paths watch the same moment:
  shivx tuned       the engine's own evaluator every 1 s, webhook notifier group_wait 0s
  shivx defaults    alerting.interval 10s, notifier group_wait 10s (a second engine, pinned
                    in the same instant)
  prom+am tuned     Prometheus scraping the first engine every 1 s, evaluating every 1 s,
                    Alertmanager group_wait 1s
  prom+am defaults  Prometheus and Alertmanager with their defaults (scrape and evaluation
                    1m, group_wait 30s)
Every trial starts every process afresh, so no group_interval of an earlier trial delays the
next one. `--no-defaults` leaves out both defaults paths (a trial then takes seconds).

cost: the CPU that N rules evaluated every 10 s over windows of 5 m to 1 h cost. Two engines
with the same configuration run side by side, one with N extra rules, and the difference of
their CPU time is the rules' cost; beside them two Prometheus servers scrape the engine with
the rules every 10 s, one evaluating the same rules (written by `shivx alerts export
--prometheus`) and one none. Reported as % of one core.
"""
import argparse
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SHIVX = os.path.join(HERE, "..", "..", "build", "app", "cli", "shivx")
TICK = os.sysconf("SC_CLK_TCK")

PIN_RULE = """groups:
  - name: bench
    rules:
      - alert: Pinned
        series: shivx_degradation_pinned
        op: "=="
        threshold: 1
        for: 0s
        severity: warning
"""

PROM_PIN_RULE = """groups:
  - name: bench
    rules:
      - alert: Pinned
        expr: shivx_degradation_pinned == 1
        for: 0s
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """A webhook receiver: the first arrival of a firing alert on each path, with its time."""

    def __init__(self):
        self.first = {}
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                now = time.monotonic()
                if b'"firing"' in body:
                    with outer.lock:
                        outer.first.setdefault(self.path, now)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def arrived(self, path):
        with self.lock:
            return self.first.get(path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Procs:
    def __init__(self, root):
        self.root = root
        self.procs = []

    def start(self, name, args, env=None):
        log = open(os.path.join(self.root, name + ".log"), "wb")
        p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.procs.append((name, p))
        return p

    def stop(self):
        for _, p in self.procs:
            if p.poll() is None:
                p.terminate()
        for _, p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []


def request(url, method="GET", body=None, token=None, timeout=5):
    req = urllib.request.Request(url, data=body, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""


def wait_for(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def start_shivx(procs, shivx, root, name, alerting_yaml, env=None):
    d = os.path.join(root, name)
    os.makedirs(d)
    port = free_port()
    write(os.path.join(d, "shivx.yaml"), "sampler: {interval: 1s}\n" + alerting_yaml)
    procs.start(name, [shivx, "serve", "--config", os.path.join(d, "shivx.yaml"), "--data-dir",
                       os.path.join(d, "data"), "--listen", "127.0.0.1:%d" % port], env)
    base = "http://127.0.0.1:%d" % port
    p = procs.procs[-1][1]

    def ready():
        if p.poll() is not None:
            raise SystemExit("%s exited: see %s" % (name, os.path.join(root, name + ".log")))
        return request(base + "/api/health/ready")[0] == 200

    wait_for(ready, 60, name + " ready")
    with open(os.path.join(d, "data", "api-token")) as f:
        token = f.read().strip()
    return base, token, port


def start_alertmanager(procs, root, name, receiver_url, tuned):
    d = os.path.join(root, name)
    os.makedirs(d)
    port = free_port()
    route = "  group_wait: 1s\n  group_interval: 1s\n" if tuned else ""
    write(os.path.join(d, "am.yml"), "route:\n  receiver: hook\n  group_by: [alertname]\n" + route
          + "receivers:\n  - name: hook\n    webhook_configs:\n      - url: %s\n" % receiver_url)
    procs.start(name, ["prometheus-alertmanager", "--config.file=" + os.path.join(d, "am.yml"),
                       "--storage.path=" + os.path.join(d, "data"),
                       "--web.listen-address=127.0.0.1:%d" % port, "--cluster.listen-address="])
    wait_for(lambda: request("http://127.0.0.1:%d/api/v2/status" % port)[0] == 200, 60,
             name + " ready")
    return port


def start_prometheus(procs, root, name, target_port, rules, am_port, interval):
    d = os.path.join(root, name)
    os.makedirs(d)
    port = free_port()
    cfg = ""
    if interval:
        cfg += "global: {scrape_interval: %s, evaluation_interval: %s}\n" % (interval, interval)
    if rules:
        write(os.path.join(d, "rules.yml"), rules)
        cfg += "rule_files: [%s]\n" % os.path.join(d, "rules.yml")
    if am_port:
        cfg += ("alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]}\n"
                % am_port)
    cfg += ("scrape_configs: [{job_name: shivx, static_configs: [{targets: ['127.0.0.1:%d']}]}]\n"
            % target_port)
    write(os.path.join(d, "prometheus.yml"), cfg)
    procs.start(name, ["prometheus", "--config.file=" + os.path.join(d, "prometheus.yml"),
                       "--storage.tsdb.path=" + os.path.join(d, "data"),
                       "--web.listen-address=127.0.0.1:%d" % port])
    base = "http://127.0.0.1:%d" % port

    def target_up():
        status, body = request(base + "/api/v1/targets")
        if status != 200:
            return False
        targets = json.loads(body)["data"]["activeTargets"]
        return bool(targets) and all(t["health"] == "up" for t in targets)

    return base, target_up


def pin(base, token):
    status, body = request(base + "/api/degradation/pin", "POST",
                        b'{"level":"LEVEL_1","reason":"alert latency bench","for":"30m"}', token)
    if status != 200:
        raise SystemExit("pinning failed: %d %s" % (status, body[:200]))


def latency_trial(shivx, defaults):
    root = tempfile.mkdtemp(prefix="shivx-bench-alerting-")
    procs = Procs(root)
    receiver = Receiver()
    hook = "http://127.0.0.1:%d" % receiver.port
    try:
        write(os.path.join(root, "rules.yml"), PIN_RULE)
        common = "alerting:\n  default_rules: false\n  rules: %s\n" % os.path.join(root,
                                                                                  "rules.yml")
        engines = {}
        engines["shivx tuned"] = start_shivx(
            procs, shivx, root, "shivx-tuned", common + "  interval: 1s\n  notifiers:\n"
            "    - {name: hook, type: webhook, url_env: SHIVX_BENCH_HOOK, group_wait: 0s}\n",
            dict(os.environ, SHIVX_BENCH_HOOK=hook + "/shivx-tuned"))
        if defaults:
            engines["shivx defaults"] = start_shivx(
                procs, shivx, root, "shivx-defaults", common + "  notifiers:\n"
                "    - {name: hook, type: webhook, url_env: SHIVX_BENCH_HOOK}\n",
                dict(os.environ, SHIVX_BENCH_HOOK=hook + "/shivx-defaults"))
        tuned_port = engines["shivx tuned"][2]
        ups = []
        am = start_alertmanager(procs, root, "am-tuned", hook + "/am-tuned", True)
        ups.append(start_prometheus(procs, root, "prom-tuned", tuned_port, PROM_PIN_RULE, am,
                                    "1s")[1])
        if defaults:
            am = start_alertmanager(procs, root, "am-defaults", hook + "/am-defaults", False)
            ups.append(start_prometheus(procs, root, "prom-defaults", tuned_port, PROM_PIN_RULE,
                                        am, None)[1])
        wait_for(lambda: all(up() for up in ups), 180, "Prometheus to scrape the engine")
        time.sleep(2)  # both engines past their first evaluations
        t0 = time.monotonic()
        for base, token, _ in engines.values():
            pin(base, token)
        paths = {"shivx tuned": "/shivx-tuned", "prom+am tuned": "/am-tuned"}
        if defaults:
            paths.update({"shivx defaults": "/shivx-defaults", "prom+am defaults": "/am-defaults"})
        wait_for(lambda: all(receiver.arrived(p) for p in paths.values()), 300,
                 "every path's webhook (logs in %s)" % root)
        result = {name: receiver.arrived(p) - t0 for name, p in paths.items()}
    finally:
        procs.stop()
        receiver.close()
        shutil.rmtree(root, ignore_errors=True)
    return result


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def generated_rules(n):
    """N rules over the engine's own series: averages, extremes, rates and quantiles over
    windows of 5 m to 1 h, thresholds that keep them quiet (the cost is evaluation, not
    notification)."""
    series = ["shivx_host_cpu_usage_ratio", "shivx_host_memory_used_ratio",
              "shivx_host_filesystem_free_ratio", "shivx_health_score",
              "shivx_audit_entries_total", "shivx_api_requests_total"]
    functions = [("avg_over_time", ""), ("max_over_time", ""), ("min_over_time", ""),
                 ("rate", ""), ("quantile_over_time", "        quantile: 0.9\n")]
    windows = ["5m", "15m", "30m", "1h"]
    out = "groups:\n  - name: generated\n    rules:\n"
    for i in range(n):
        fn, extra = functions[i % len(functions)]
        out += ("      - alert: Generated%d\n        series: %s\n        function: %s\n%s"
                "        window: %s\n        op: \">\"\n        threshold: 1000000\n"
                "        for: 5m\n        severity: info\n"
                % (i, series[i % len(series)], fn, extra, windows[(i // 5) % len(windows)]))
    return out


def cost(shivx, n, seconds):
    root = tempfile.mkdtemp(prefix="shivx-bench-rules-")
    procs = Procs(root)
    try:
        write(os.path.join(root, "rules.yml"), generated_rules(n))
        base = "alerting:\n  interval: 10s\n"
        with_rules = base + "  rules: %s\n" % os.path.join(root, "rules.yml")
        _, _, port_a = start_shivx(procs, shivx, root, "shivx-plain", base)
        base_b, _, port_b = start_shivx(procs, shivx, root, "shivx-rules", with_rules)

        def rules_loaded():
            lines = [l for l in request(base_b + "/metrics")[1].decode().splitlines()
                     if l.startswith("shivx_alerting_rules ")]
            return bool(lines) and float(lines[0].split()[-1]) >= n

        wait_for(rules_loaded, 30, "the engine to load the %d rules" % n)
        export = os.path.join(root, "prom-rules.yml")
        write(os.path.join(root, "export.yaml"), "sampler: {interval: 1s}\n" + with_rules)
        subprocess.run([shivx, "alerts", "export", "--prometheus", "--out", export, "--config",
                        os.path.join(root, "export.yaml")], check=True)
        with open(export) as f:
            prom_rules = f.read()
        _, up_plain = start_prometheus(procs, root, "prom-plain", port_a, None, None, "10s")
        prom, up_rules = start_prometheus(procs, root, "prom-rules", port_b, prom_rules, None,
                                          "10s")
        wait_for(lambda: up_plain() and up_rules(), 120, "Prometheus to scrape the engine")
        groups = json.loads(request(prom + "/api/v1/rules")[1])["data"]["groups"]
        if sum(len(g["rules"]) for g in groups) < n:
            raise SystemExit("Prometheus did not load the %d rules" % n)
        time.sleep(15)  # past start-up work
        pids = {name: p.pid for name, p in procs.procs}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        t0 = time.monotonic()
        time.sleep(seconds)
        wall = time.monotonic() - t0
        used = {name: (cpu_seconds(pid) - before[name]) / wall * 100 for name, pid in
                pids.items()}
    finally:
        procs.stop()
        shutil.rmtree(root, ignore_errors=True)
    return used


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["latency", "cost"])
    ap.add_argument("--shivx", default=DEFAULT_SHIVX)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--no-defaults", action="store_true")
    ap.add_argument("--rules", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=120)
    a = ap.parse_args()
    shivx = os.path.abspath(a.shivx)
    for tool in ("prometheus", "prometheus-alertmanager"):
        if not shutil.which(tool):
            raise SystemExit("%s not found (installer/install-deps.sh --test installs it)" % tool)
    if a.mode == "latency":
        rows = {}
        for i in range(a.trials):
            r = latency_trial(shivx, not a.no_defaults)
            print("trial %d: %s" % (i + 1, ", ".join("%s %.2f s" % kv for kv in r.items())),
                  flush=True)
            for k, v in r.items():
                rows.setdefault(k, []).append(v)
        print("\nalert latency, condition true -> webhook received (%d trials)" % a.trials)
        print("%-18s %8s %8s %8s" % ("path", "min s", "median s", "max s"))
        for k, v in rows.items():
            v = sorted(v)
            print("%-18s %8.2f %8.2f %8.2f" % (k, v[0], v[len(v) // 2], v[-1]))
    else:
        used = cost(shivx, a.rules, a.seconds)
        print("CPU over %d s, %% of one core (%d rules every 10 s)" % (a.seconds, a.rules))
        for k, v in used.items():
            print("%-12s %6.3f" % (k, v))
        print("shivx: the rules cost %.3f%% of a core; Prometheus: %.3f%%"
              % (used["shivx-rules"] - used["shivx-plain"],
                 used["prom-rules"] - used["prom-plain"]))


if __name__ == "__main__":
    sys.exit(main())
