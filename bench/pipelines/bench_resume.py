#!/usr/bin/env python3
"""Resume after kill -9: how soon a restarted engine runs the next stage of a crashed run,
beside ninja resuming the same chain after the same kill, in one run.

    python3 bench/pipelines/bench_resume.py [--shivx build/app/cli/shivx] [--trials 5]
                                            [--stages 40]

A chain of --stages stages, each `sh -c 'date +%s.%N >> STARTS/NAME; sleep 0.4; ...'`. Each
trial waits until a stage has started, kills the runner with SIGKILL 0.2 s later, starts it
again and measures:
  shivx: restart -> the engine answers /api/health/live, and restart -> the first stage
         process of the resumed run starts (the interrupted stage's leftover process group is
         found and stopped first, then the stage is retried under its policy; stages that
         succeeded are not run again);
  ninja: `ninja -j2` over a generated build.ninja with the same chain (outputs it finished
         are up to date from its log), restart -> its first command starts.
Both restart the same way (a new process), so the numbers include process start-up. After
the trials the script checks from the stages' own start files that shivx ran every stage to
completion and never ran a finished stage again.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SHIVX = os.path.join(HERE, "..", "..", "build", "app", "cli", "shivx")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, body=None, token=None):
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""


def starts(directory):
    """Every stage start recorded so far: (time, stage)."""
    out = []
    for name in os.listdir(directory):
        with open(os.path.join(directory, name)) as f:
            out += [(float(line), name) for line in f.read().split()]
    return sorted(out)


def wait_new_start(directory, after, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        later = [t for t, _ in starts(directory) if t > after]
        if later:
            return min(later)
        time.sleep(0.002)
    raise SystemExit("no stage started within %d s (see %s)" % (timeout, directory))


def stage_script(out):
    return "date +%%s.%%N >> %s/$0; sleep 0.4" % out


def shivx_trials(shivx, root, n_stages, trials):
    out = os.path.join(root, "shivx-starts")
    pipelines = os.path.join(root, "pipelines")
    os.makedirs(out)
    os.makedirs(pipelines)
    lines = ["name: chain", "stages:"]
    for i in range(n_stages):
        lines += ["  - name: s%02d" % i, "    command: /bin/sh",
                  "    args: [\"-c\", \"%s\", \"s%02d\"]" % (stage_script(out), i),
                  "    retries: 2"]
        if i:
            lines.append("    needs: [s%02d]" % (i - 1))
    with open(os.path.join(pipelines, "chain.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(root, "shivx.yaml"), "w") as f:
        f.write("pipelines:\n  directory: %s\n  stop_timeout: 1s\n" % pipelines)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    args = [shivx, "serve", "--config", os.path.join(root, "shivx.yaml"), "--data-dir",
            os.path.join(root, "data"), "--listen", "127.0.0.1:%d" % port]
    log = open(os.path.join(root, "serve.log"), "ab")

    def start():
        return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)

    def wait_live(t0):
        while request(base + "/api/health/live")[0] != 200:
            if time.time() - t0 > 60:
                raise SystemExit("engine not live (see %s/serve.log)" % root)
            time.sleep(0.002)
        return time.time()

    proc = start()
    wait_live(time.time())
    with open(os.path.join(root, "data", "api-token")) as f:
        token = f.read().strip()
    for _ in range(200):  # live comes before the modules have started
        status, body = request(base + "/api/pipelines/run", b'{"pipeline": "chain"}', token)
        if status != 503:
            break
        time.sleep(0.05)
    if status != 201:
        raise SystemExit("run refused: %d %s" % (status, body[:300]))
    run = json.loads(body)["run"]
    results = []
    for _ in range(trials):
        wait_new_start(out, time.time() - 0.001)
        time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        t0 = time.time()
        proc = start()
        live = wait_live(t0)
        first = wait_new_start(out, t0)
        results.append((live - t0, first - t0))
    # Let the run finish, then check it from the stages' side effects.
    deadline = time.time() + 120
    state = ""
    while time.time() < deadline:
        status, body = request(base + "/api/pipelines/runs/%s" % run)
        state = json.loads(body).get("state", "") if status == 200 else ""
        if state in ("succeeded", "failed", "cancelled", "dead_letter"):
            break
        time.sleep(0.2)
    proc.terminate()
    proc.wait()
    counts = {}
    for _, stage in starts(out):
        counts[stage] = counts.get(stage, 0) + 1
    return results, state, counts


def ninja_trials(root, n_stages, trials):
    out = os.path.join(root, "ninja-starts")
    build = os.path.join(root, "ninja")
    os.makedirs(out)
    os.makedirs(build)
    script = stage_script(out).replace("$0", "$$0")  # ninja's own escape
    lines = ["rule stage", "  command = /bin/sh -c '%s; touch $out' $name" % script]
    for i in range(n_stages):
        dep = " s%02d.done" % (i - 1) if i else ""
        lines += ["build s%02d.done: stage%s" % (i, dep), "  name = s%02d" % i]
    with open(os.path.join(build, "build.ninja"), "w") as f:
        f.write("\n".join(lines) + "\n")
    log = open(os.path.join(root, "ninja.log"), "ab")

    def start():
        # Its own session, as a stage's process group: the kill takes its commands along.
        return subprocess.Popen(["ninja", "-j2"], cwd=build, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    proc = start()
    results = []
    for _ in range(trials):
        wait_new_start(out, time.time() - 0.001)
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        t0 = time.time()
        proc = start()
        first = wait_new_start(out, t0)
        results.append(first - t0)
    proc.wait()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shivx", default=DEFAULT_SHIVX)
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--stages", type=int, default=40)
    a = ap.parse_args()
    if a.stages < 2 * a.trials + 2:
        raise SystemExit("--stages must be at least 2 x --trials + 2")
    root = tempfile.mkdtemp(prefix="shivx-bench-resume-")
    try:
        shivx, state, counts = shivx_trials(os.path.abspath(a.shivx), root, a.stages, a.trials)
        ninja = ninja_trials(root, a.stages, a.trials) if shutil.which("ninja") else []
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("resume after kill -9, restart -> (seconds), %d trials" % a.trials)
    print("%-6s %-32s %s" % ("trial", "shivx live / first stage", "ninja first command"))
    for i, (live, first) in enumerate(shivx):
        print("%-6d %6.3f / %-23.3f %s" % (i + 1, live, first,
                                           "%.3f" % ninja[i] if i < len(ninja) else "-"))
    med = lambda v: sorted(v)[len(v) // 2]
    print("median shivx first stage %.3f s (live %.3f s); ninja %s"
          % (med([f for _, f in shivx]), med([l for l, _ in shivx]),
             "%.3f s" % med(ninja) if ninja else "not installed"))
    again = {k: v for k, v in counts.items() if v > 1}
    print("run %s; %d of %d stages started; started more than once (the interrupted ones, "
          "retried): %s" % (state, len(counts), a.stages, ", ".join(sorted(again)) or "none"))
    return 0 if state == "succeeded" and len(counts) == a.stages and len(again) <= a.trials else 1


if __name__ == "__main__":
    sys.exit(main())
