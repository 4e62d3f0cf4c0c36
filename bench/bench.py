#!/usr/bin/env python3
"""The seed-agent benchmark (issue 8). Run it through bench/run.sh; docs/PERFORMANCE.md explains it.

Everything is measured side by side in this one invocation, against the built-in IMDSv2 emulator on
127.0.0.1, and every figure is a median (of runs, or of samples around a mark), because the machine
is shared and noisy: the targets are ratios and counts, never absolute times.

Phases:
  1. boot path: `seed-agent once` (with and without the AppCDS archive, when the launcher supports
     it), the floor (bench/Floor.java with the launcher's JVM and options), the old approach
     (bench/old-boot-script.sh), and `once` under cumulative JVM options: each variant once per
     round, round after round (the order rotates), after a warm-up round.
  2. daemon: `seed-agent run` at poll.interval = 10ms, sampled from /proc after N1 and N2 polls.
     Polls are counted exactly with inotify: every poll saves state.json (an atomic rename).
  3. tokens: a short run with metadata.token-ttl = 2s, to confirm that a token lasts its TTL.
  4. detection: poll.interval = 1s; the emulated address changes, the fragment file is watched.
  5. daemon under JVM defaults and under the launcher's options (direct java, no launcher).
  6. Elastic IP (issue 15): the daemon with an Elastic IP configured, claimed at boot from a second
     emulator that also serves the EC2 side; `once` with it configured runs in phase 1's rounds.
Exit status: 0 when the measurement completed (whatever the targets say), 1 when something broke.
"""

import argparse
import ctypes
import datetime
import glob
import json
import os
import platform
import random
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
FAKE_CONDOR = os.path.join(ROOT, "src", "test", "resources", "condor")
IP0 = "198.51.100.7"
EIP = "192.0.2.44"
THIS_INSTANCE = "i-0123456789abcdef0"  # the emulator's instance-id
MIB = 1024 * 1024
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Targets (issue 8) and the tolerances that define "no growth".
BOOT_MAX_RATIO = 3.0
BOOT_AOT_MAX_RATIO = 2.0  # issue 24: JDK 25 with its AOT cache, against the JDK 17 floor
EIP_BOOT_MAX_RATIO = 2.0  # issue 24: once with an Elastic IP already associated, against once without
DAEMON_MAX_RSS_MIB = 48.0  # issue 24 (issue 8 had 64)
DAEMON_EIP_MAX_RSS_MIB = 64.0  # issue 15
RSS_GROWTH_TOLERANCE_MIB = 2.0
COUNT_GROWTH_TOLERANCE = 1  # threads, fds: one transient (a compiler thread, an fd open mid-poll)
DETECTION_SLACK_S = 1.0

STARTED = []


class BenchError(Exception):
    pass


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


# ---------------------------------------------------------------------------------------------------
# Processes


def start(argv, env, directory, name):
    out = open(os.path.join(directory, name + ".out"), "wb")
    err = open(os.path.join(directory, name + ".err"), "wb")
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    proc.bench_files = (out, err)
    proc.bench_err = err.name
    STARTED.append(proc)
    return proc


def stop(proc, timeout=15):
    """SIGTERM, then SIGKILL after `timeout`; only processes this benchmark started."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for f in proc.bench_files:
        f.close()
    if proc in STARTED:
        STARTED.remove(proc)
    return proc.returncode


def tail(path, lines=8):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


GNU_TIME = "/usr/bin/time"


def timed_run(argv, env, directory):
    """Runs argv to completion: wall time, peak RSS (the largest process of the tree), CPU.

    The command runs under GNU time, which reports the peak RSS from wait4(): that of the largest
    process in the tree (for the launcher: the JVM it exec'd; for the script: curl). It cannot be
    taken from our own wait4(): a child forked from this Python process carries Python's RSS
    (~25 MiB) into its high-water mark until it execs, and the kernel keeps that mark."""
    out_path = os.path.join(directory, "run.out")
    err_path = os.path.join(directory, "run.err")
    rss_path = os.path.join(directory, "run.rss")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rss_path, *argv], env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, errors="replace") as f:
        stdout = f.read()
    with open(rss_path) as f:
        rss_kib = int(f.read().split()[-1])
    return {
        "wall": wall,
        "rss_mib": rss_kib / 1024.0,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rc": proc.returncode,
        "stdout": stdout,
        "stderr": tail(err_path),
    }


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http(method, url, data=None, timeout=5):
    request = urllib.request.Request(url, data=data, method=method)
    with OPENER.open(request, timeout=timeout) as response:
        return response.read().decode()


class Emulator:
    def __init__(self, launcher, env, directory, extra=(), name="emulator"):
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = start([launcher, "emulator", "--port", str(port), "--public-ip", IP0, *extra], env, directory, name)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.stats()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("the emulator did not start:\n" + tail(self.proc.bench_err))
                time.sleep(0.05)

    def stats(self):
        text = http("GET", self.base + "/emulator/stats")
        return {k: int(v) for k, v in (line.split() for line in text.splitlines() if line.strip())}

    def set_ip(self, ip):
        http("PUT", self.base + "/emulator/meta-data/public-ipv4", ip.encode())


# ---------------------------------------------------------------------------------------------------
# /proc and inotify


def proc_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    return {
        "rss_mib": int(status["VmRSS"].split()[0]) / 1024.0,
        "anon_mib": int(status["RssAnon"].split()[0]) / 1024.0,
        "file_mib": int(status["RssFile"].split()[0]) / 1024.0,
        "threads": int(status["Threads"]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
    }


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class RenameCounter:
    """Counts renames onto `name` in `directory` (IN_MOVED_TO): one per AtomicFile.write of it."""

    IN_MOVED_TO = 0x00000080
    IN_Q_OVERFLOW = 0x00004000

    def __init__(self, directory, name):
        libc = ctypes.CDLL(None, use_errno=True)
        self.fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if libc.inotify_add_watch(self.fd, os.fsencode(directory), self.IN_MOVED_TO) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch " + directory)
        self.name = os.fsencode(name)
        self.count = 0
        self.overflow = False
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                continue
            offset = 0
            while offset < len(data):
                _, mask, _, length = struct.unpack_from("iIII", data, offset)
                offset += 16
                name = data[offset:offset + length].rstrip(b"\0")
                offset += length
                if mask & self.IN_Q_OVERFLOW:
                    self.overflow = True
                elif name == self.name:
                    self.count += 1

    def close(self):
        self.stopping = True
        self.thread.join()
        os.close(self.fd)


# ---------------------------------------------------------------------------------------------------
# Set-up


def find_java():
    if os.environ.get("SEED_AGENT_JAVA"):
        java = os.environ["SEED_AGENT_JAVA"]
    elif os.environ.get("JAVA_HOME") and os.access(os.path.join(os.environ["JAVA_HOME"], "bin", "java"), os.X_OK):
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    else:
        java = shutil.which("java")
    if not java:
        raise BenchError("no java found (set JAVA_HOME or SEED_AGENT_JAVA)")
    return os.path.realpath(java)


def find_java25():
    """A JDK 25 or later for the AOT cache's rows (issue 24): $BENCH_JAVA25 (a java binary; "none": skip them), else
    the first runtime under /usr/lib/jvm whose release file says 25 or later; None when there is none."""
    named = os.environ.get("BENCH_JAVA25")
    if named:
        return None if named == "none" else os.path.realpath(named)
    for home in sorted(glob.glob("/usr/lib/jvm/*")):
        java = os.path.join(home, "bin", "java")
        try:
            with open(os.path.join(home, "release")) as f:
                version = next((line.split("=", 1)[1].strip().strip('"') for line in f if line.startswith("JAVA_VERSION=")), "")
        except OSError:
            continue
        feature = version.split(".")[0]
        if feature.isdigit() and int(feature) >= 25 and os.access(java, os.X_OK) and not os.path.islink(home):
            return os.path.realpath(java)
    return None


def make_aot_cache(launcher, env, out):
    """Runs `seed-agent cds-archive` on JDK 25 into out/aot; returns (cache path or None, seconds, message)."""
    aot_dir = os.path.join(out, "aot")
    shutil.rmtree(aot_dir, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run([launcher, "cds-archive"], env=dict(env, SEED_AGENT_CDS_DIR=aot_dir),
                       capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    cache = os.path.join(aot_dir, "seed-agent.aot")
    message = (r.stdout + r.stderr).strip().splitlines()
    if r.returncode == 0 and os.path.isfile(cache) and os.path.isfile(cache + ".key"):
        return cache, seconds, message[0] if message else ""
    return None, seconds, message[0] if message else f"exit {r.returncode}"


def java_version(java):
    r = subprocess.run([java, "-version"], capture_output=True, text=True)
    return [line.strip() for line in r.stderr.splitlines() if line.strip()]


def compile_floor(java, out):
    source = os.path.join(BENCH, "Floor.java")
    classes = os.path.join(out, "floor")
    target = os.path.join(classes, "Floor.class")
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(source):
        return classes
    javac = os.path.join(os.path.dirname(java), "javac")
    if not os.access(javac, os.X_OK):
        javac = shutil.which("javac")
    if not javac:
        raise BenchError("no javac next to " + java + " or on PATH, needed for bench/Floor.java")
    os.makedirs(classes, exist_ok=True)
    subprocess.run([javac, "-d", classes, source], check=True)
    return classes


def launcher_command(launcher, env, work, args):
    """What the launcher execs: (JVM options, class path, main class), learnt by running it with a
    stand-in java that records its arguments (no archive present, no SEED_AGENT_JAVA_OPTS)."""
    args_file = os.path.join(work, "java-args.txt")
    empty = os.path.join(work, "cds-none")
    os.makedirs(empty, exist_ok=True)
    capture = dict(env, SEED_AGENT_JAVA=os.path.join(BENCH, "java-args.sh"), BENCH_ARGS_FILE=args_file,
                   SEED_AGENT_CDS_DIR=empty)
    subprocess.run([launcher, *args], env=capture, check=True)
    with open(args_file) as f:
        argv = f.read().splitlines()
    i = argv.index("-cp")
    if argv[i + 3:] != list(args):
        raise BenchError(f"unexpected launcher command line: {argv}")
    return argv[:i], argv[i + 1], argv[i + 2]


def make_cds_archive(launcher, env, out, name="cds", config=None):
    """Runs `seed-agent [--config CONFIG] cds-archive` into out/NAME; returns (archive path or None, seconds, message).
    With a configuration that claims an Elastic IP, the launcher trains the archive on that boot (issue 24)."""
    cds_dir = os.path.join(out, name)
    shutil.rmtree(cds_dir, ignore_errors=True)
    t0 = time.perf_counter()
    r = subprocess.run([launcher, *(["--config", config] if config else []), "cds-archive"],
                       env=dict(env, SEED_AGENT_CDS_DIR=cds_dir), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - t0
    archives = glob.glob(os.path.join(cds_dir, "*.jsa"))
    message = (r.stdout + r.stderr).strip().splitlines()
    if r.returncode == 0 and archives:
        return archives[0], seconds, message[0] if message else ""
    return None, seconds, message[0] if message else f"exit {r.returncode}"


def write_condor_wrapper(directory):
    """A condor_config_val for the daemon's pre-flight: the test fake over the seed recipe's tree."""
    root = os.path.join(directory, "root")
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(os.path.join(FAKE_CONDOR, "seed-recipe"), root)
    wrapper = os.path.join(directory, "condor_config_val")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n"
                f"CONDOR_CONFIG=/etc/condor/condor_config FAKE_CONDOR_ROOT='{root}' \\\n"
                "FAKE_CONDOR_HOSTNAME=seed.example FAKE_CONDOR_USERNAME=condor \\\n"
                f"  exec python3 '{os.path.join(FAKE_CONDOR, 'condor_config_val')}' \"$@\"\n")
    os.chmod(wrapper, 0o755)
    return root, wrapper


def agent_dir(work, name, emulator, extra=""):
    """A directory with an agent configuration; the fragment goes into a fake HTCondor config.d."""
    directory = os.path.join(work, name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(os.path.join(directory, "state"))
    root, wrapper = write_condor_wrapper(directory)
    fragment = os.path.join(root, "etc", "condor", "config.d", "50-seed-agent.conf")
    conf = os.path.join(directory, "agent.conf")
    with open(conf, "w") as f:
        f.write(f"metadata.endpoint = {emulator.base}\n"
                f"fragment.path = {fragment}\n"
                f"state.directory = {os.path.join(directory, 'state')}\n"
                f"condor.config-val = {wrapper}\n"
                f"{extra}")
    return directory, conf, fragment


def remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


# ---------------------------------------------------------------------------------------------------
# Phase 1: boot path


class Variant:
    def __init__(self, key, label, argv, env, directory, fragment=None, address=IP0):
        self.key, self.label, self.argv, self.env, self.directory, self.fragment = key, label, argv, env, directory, fragment
        self.address = address
        self.runs = []

    def run_once(self, keep):
        if self.fragment:
            remove(self.fragment)  # every run writes the fragment, as at a boot after stop/start
        r = timed_run(self.argv, self.env, self.directory)
        ok = r["rc"] == 0
        if self.fragment:
            ok = ok and r["stdout"].startswith("wrote") and f"TCP_FORWARDING_HOST = {self.address}\n" in read_text(self.fragment)
        if not ok:
            raise BenchError(f"{self.label} failed (exit {r['rc']}):\n{r['stdout']}{r['stderr']}")
        if keep:
            self.runs.append(r)

    def med(self, field):
        return median([r[field] for r in self.runs])

    def spread(self, field):
        values = [r[field] for r in self.runs]
        return min(values), max(values)


def class_sources(launcher, env, conf, work):
    """Classes `once` loads, by source: the AppCDS archive (top layer), the JDK's archive, elsewhere."""
    log_file = os.path.join(work, "class-load.log")
    remove(log_file)
    subprocess.run([launcher, "--config", conf, "once"], capture_output=True, check=True,
                   env=dict(env, SEED_AGENT_JAVA_OPTS=f"-Xlog:class+load=info:file={log_file}"))
    top = base = jars = other = 0
    jar_names = {}
    with open(log_file) as f:
        for line in f:
            source = line.rstrip("\n").split(" source: ", 1)[1] if " source: " in line else ""
            if source == "shared objects file (top)":
                top += 1
            elif source == "shared objects file":
                base += 1
            elif source.startswith("file:") and source.endswith(".jar"):
                jars += 1
                jar = os.path.basename(source)
                jar_names[jar] = jar_names.get(jar, 0) + 1
            else:
                other += 1  # jrt:/ (JDK modules), generated lambda forms and proxies
    return {"total": top + base + jars + other, "appcds": top, "jdk_cds": base, "jars": jars, "jrt_generated": other,
            "jar_counts": dict(sorted(jar_names.items(), key=lambda kv: -kv[1]))}


# ---------------------------------------------------------------------------------------------------
# Phase 2-5: the daemon


class Daemon:
    def __init__(self, argv, env, directory, name):
        self.directory = directory
        self.counter = RenameCounter(os.path.join(directory, "state"), "state.json")
        self.proc = start(argv, env, directory, name)
        self.started = time.monotonic()

    @property
    def pid(self):
        return self.proc.pid  # the launcher execs the JVM: same pid

    def polls(self):
        # One save at the boot sync, then one per poll.
        return max(0, self.counter.count - 1)

    def polls_settled(self):
        """The poll count once the inotify reader has caught up with a stopped daemon."""
        count = self.polls()
        time.sleep(0.02)
        while self.polls() != count:
            count = self.polls()
            time.sleep(0.02)
        return count

    def wait_polls(self, n, timeout):
        deadline = time.monotonic() + timeout
        while self.counter.count - 1 < n:
            if self.proc.poll() is not None:
                raise BenchError(f"the daemon exited ({self.proc.returncode}):\n" + tail(self.proc.bench_err))
            if time.monotonic() > deadline:
                raise BenchError(f"the daemon made {self.polls()} polls, not {n}, within {timeout:.0f} s")
            if self.counter.overflow:
                raise BenchError("inotify queue overflow: polls could not be counted")
            time.sleep(0.002)

    def snapshot(self, emulator, samples=9, gap=0.015):
        # The poll count and the emulator's counters are read with the daemon stopped (SIGSTOP), so
        # they describe one instant: the only skew left is a poll whose request was served but whose
        # state was not saved yet (one request).
        os.kill(self.pid, signal.SIGSTOP)
        try:
            polls = self.polls_settled()
            stats = emulator.stats()
            cpu = cpu_seconds(self.pid)
        finally:
            os.kill(self.pid, signal.SIGCONT)
        wall = time.monotonic() - self.started
        taken = []
        for i in range(samples):
            if i:
                time.sleep(gap)
            taken.append(proc_sample(self.pid))
        return {
            "polls": polls, "wall": wall, "cpu": cpu,
            # Scheduled-event reads (every 5 min) are counted apart: the address poll is one request.
            "data": stats["data_requests"] - stats.get("event_requests", 0), "events": stats.get("event_requests", 0),
            "tokens": stats["token_requests"], "rejected": stats["rejected_requests"],
            "rss_mib": median([s["rss_mib"] for s in taken]),
            "anon_mib": median([s["anon_mib"] for s in taken]),
            "file_mib": median([s["file_mib"] for s in taken]),
            "threads": median([s["threads"] for s in taken]),
            "fds": median([s["fds"] for s in taken]),
            "rss_samples": [s["rss_mib"] for s in taken],
        }

    def stop(self):
        rc = stop(self.proc)
        self.counter.close()
        return rc


def daemon_run(launcher, env, work, emulator, marks, label="daemon", extra=""):
    # log.level = debug: quiet in steady state (nothing is logged per poll), and every retry of the
    # agent's own retry loop is logged, so extra requests at the emulator can be told apart.
    directory, conf, _ = agent_dir(work, label, emulator,
                                   "poll.interval = 10ms\nreload.method = none\nlog.level = debug\n" + extra)
    before = emulator.stats()
    daemon = Daemon([launcher, "--config", conf, "run"], env, directory, "daemon")
    snapshots = []
    try:
        for n in marks:
            daemon.wait_polls(n, timeout=60 + n * 0.1)
            snap = daemon.snapshot(emulator)
            # The emulator also served the earlier phases: count from this daemon's start.
            snap["data"] -= before["data_requests"] - before.get("event_requests", 0)
            snap["events"] -= before.get("event_requests", 0)
            snap["tokens"] -= before["token_requests"]
            snap["rejected"] -= before["rejected_requests"]
            snapshots.append(snap)
            log(f"  {label}: {n} polls: RSS {snapshots[-1]['rss_mib']:.1f} MiB, CPU {snapshots[-1]['cpu']:.2f} s")
    finally:
        rc = daemon.stop()
    after = emulator.stats()
    with open(daemon.proc.bench_err, errors="replace") as f:
        log_lines = f.read().splitlines()
    retries = sum(1 for line in log_lines if ": attempt " in line and " failed (" in line)
    return {"snapshots": snapshots, "exit": rc, "retries_logged": retries, "log_lines": len(log_lines), "tokens_total": after["token_requests"] - before["token_requests"],
            "data_total": after["data_requests"] - before["data_requests"],
            "events_total": after.get("event_requests", 0) - before.get("event_requests", 0),
            "wall_total": time.monotonic() - daemon.started,
            "rejected_total": after["rejected_requests"] - before["rejected_requests"],
            "polls_total": daemon.polls(), "stderr_tail": tail(daemon.proc.bench_err, 5)}


def token_run(launcher, env, work, emulator, seconds, ttl_s=2):
    directory, conf, _ = agent_dir(work, "tokens", emulator,
                                   f"poll.interval = 10ms\nreload.method = none\nlog.level = warn\nmetadata.token-ttl = {ttl_s}s\n")
    daemon = Daemon([launcher, "--config", conf, "run"], env, directory, "daemon")
    try:
        daemon.wait_polls(1, timeout=60)
        first = daemon.snapshot(emulator, samples=1)
        time.sleep(seconds)
        last = daemon.snapshot(emulator, samples=1)
    finally:
        daemon.stop()
    elapsed = last["wall"] - first["wall"]
    tokens = last["tokens"] - first["tokens"]
    return {"ttl_s": ttl_s, "seconds": elapsed, "tokens": tokens, "polls": last["polls"] - first["polls"],
            "rejected": last["rejected"] - first["rejected"], "tokens_per_ttl": tokens * ttl_s / elapsed}


def detection_run(launcher, env, work, emulator, changes, interval_s=1.0):
    directory, conf, fragment = agent_dir(work, "detection", emulator,
                                          f"poll.interval = {int(interval_s * 1000)}ms\nreload.method = none\nlog.level = warn\n")
    daemon = Daemon([launcher, "--config", conf, "run"], env, directory, "daemon")
    rng = random.Random(8)
    times = []
    try:
        daemon.wait_polls(0, timeout=60)
        if f"TCP_FORWARDING_HOST = {IP0}\n" not in read_text(fragment):
            raise BenchError("the daemon did not write the first fragment")
        for i in range(changes):
            time.sleep(rng.uniform(0.0, interval_s))  # land at a random phase of the poll cycle
            ip = f"203.0.113.{10 + i}"
            wanted = f"TCP_FORWARDING_HOST = {ip}\n"
            t0 = time.perf_counter()
            emulator.set_ip(ip)
            while wanted not in read_text(fragment):
                if time.perf_counter() - t0 > 10 * interval_s + 10:
                    raise BenchError(f"the fragment did not show {ip} within {10 * interval_s + 10:.0f} s")
                if daemon.proc.poll() is not None:
                    raise BenchError("the daemon exited:\n" + tail(daemon.proc.bench_err))
                time.sleep(0.01)
            times.append(time.perf_counter() - t0)
            log(f"  change {i + 1}/{changes}: {times[-1]:.3f} s")
    finally:
        daemon.stop()
        emulator.set_ip(IP0)
    return {"interval_s": interval_s, "times": times}


def daemon_options_run(java, options, cp, main_class, env, work, emulator, label, polls):
    directory, conf, _ = agent_dir(work, label, emulator, "poll.interval = 10ms\nreload.method = none\nlog.level = warn\n")
    daemon = Daemon([java, *options, "-cp", cp, main_class, "--config", conf, "run"], env, directory, "daemon")
    try:
        daemon.wait_polls(polls[0], timeout=60 + polls[0] * 0.1)
        a = daemon.snapshot(emulator)
        daemon.wait_polls(polls[1], timeout=60 + polls[1] * 0.1)
        b = daemon.snapshot(emulator)
    finally:
        daemon.stop()
    return {"rss_mib": b["rss_mib"], "threads": b["threads"], "fds": b["fds"],
            "cpu_per_1000": (b["cpu"] - a["cpu"]) / (b["polls"] - a["polls"]) * 1000, "cpu_total": b["cpu"]}


# ---------------------------------------------------------------------------------------------------
# Report


def machine_info(java):
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(), "java": java, "java_version": java_version(java),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": os.getloadavg(),
    }


def git_describe(home):
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "pom.xml"],
                               capture_output=True, text=True).stdout.strip()
        return commit + (" (src modified)" if dirty else "")
    except OSError:
        return "unknown"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def fmt_s(x):
    return f"{x:.3f}"


def report(ctx):
    r = ctx
    lines = []
    add = lines.append
    m = r["machine"]
    add("# seed-agent benchmark results")
    add("")
    add(f"- Date: {m['date']}; mode: {'quick' if r['quick'] else 'full'}; command: `{r['command']}`")
    add(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Linux {m['kernel']}; "
        f"load average at start {m['load'][0]:.2f} / end {r['load_end'][0]:.2f}")
    add(f"- JVM: `{m['java']}`: {' / '.join(m['java_version'])}")
    add(f"- Agent: `{r['home']}` ({r['version']}); tree {r['commit']}")
    add(f"- Launcher's JVM options: `{' '.join(r['launcher_options'])}`; for the daemon (`run`) it adds "
        f"`{' '.join(o for o in r['launcher_daemon_options'] if o not in r['launcher_options'])}`")
    if r["cds"]["archive"]:
        add(f"- AppCDS: `seed-agent cds-archive` made `{os.path.relpath(r['cds']['archive'], ROOT)}` "
            f"({os.path.getsize(r['cds']['archive']) / MIB:.1f} MiB) in {r['cds']['seconds']:.2f} s")
    else:
        add(f"- AppCDS: not supported by this launcher (`seed-agent cds-archive`: {r['cds']['message']}); "
            "`once` is measured without an archive only")
    ce = r.get("cds_eip") or {}
    if ce.get("archive"):
        add(f"- AppCDS with an Elastic IP configured: `seed-agent --config ... cds-archive` made "
            f"`{os.path.relpath(ce['archive'], ROOT)}` ({os.path.getsize(ce['archive']) / MIB:.1f} MiB) in {ce['seconds']:.2f} s; "
            "the `once` and the daemon with an Elastic IP use it")
    a = r.get("aot") or {}
    if a.get("cache"):
        add(f"- JDK 25: `{a['java']}`: {' / '.join(a['java_version'])}; `seed-agent cds-archive` made its AOT cache "
            f"({os.path.getsize(a['cache']) / MIB:.1f} MiB) in {a['seconds']:.2f} s")
    elif a.get("java"):
        add(f"- JDK 25: `{a['java']}`: no AOT cache ({a.get('message')}); its rows are left out")
    else:
        add("- JDK 25: none installed (BENCH_JAVA25, /usr/lib/jvm): its rows are left out")
    add("")

    boot = r["boot"]
    floor = boot["floor"]
    shipped = boot.get("once_cds") or boot["once"]
    script = boot["script"]
    add(f"## 1. Boot path (median of {r['runs']} runs per row: every variant once per round, the order rotating, "
        "after a warm-up round; every run of the agent or the script writes the fragment)")
    add("")
    add("| | wall s (min-max) | peak RSS MiB | CPU s | wall / floor | fastest / fastest floor | RSS / floor |")
    add("|---|---|---|---|---|---|---|")
    for key in ("floor", "once_cds", "once", "once_aot", "once_eip", "script"):
        v = boot.get(key)
        if not v:
            continue
        lo, hi = v.spread("wall")
        add(f"| {v.label} | {fmt_s(v.med('wall'))} ({lo:.3f}-{hi:.3f}) | {v.med('rss_mib'):.1f} | {v.med('cpu'):.3f} | "
            f"**{v.med('wall') / floor.med('wall'):.2f}** | {lo / floor.spread('wall')[0]:.2f} | "
            f"{v.med('rss_mib') / floor.med('rss_mib'):.2f} |")
    add("")
    for key in ("once_cds", "once", "once_aot"):
        v = boot.get(key)
        if v:
            add(f"- {v.label}: agent/floor **{v.med('wall') / floor.med('wall'):.2f}x** wall, "
                f"{v.med('rss_mib') / floor.med('rss_mib'):.2f}x RSS; agent/script **{v.med('wall') / script.med('wall'):.2f}x** wall, "
                f"{v.med('rss_mib') / script.med('rss_mib'):.2f}x RSS")
    add("")
    eip = boot["once_eip"]
    add(f"- {eip.label}: {eip.med('wall') - shipped.med('wall'):+.3f} s and "
        f"{eip.med('rss_mib') - shipped.med('rss_mib'):+.1f} MiB peak RSS beside `{shipped.label}` (the credentials, "
        f"one signed DescribeAddresses); without an `eip.*` key `once` loads none of it")
    add("")
    add("Ratios are of medians; \"fastest / fastest floor\" compares the best runs, which other load on the "
        "machine disturbs least. Peak RSS of the script is that of its largest process (curl). Floor: "
        "`bench/Floor.java`, run as `java <launcher options> -cp target/bench/floor Floor`.")
    add("")
    add("Where the boot path's time goes (same rounds; differences of medians):")
    add("")
    add("| | wall s | peak RSS MiB | CPU s |")
    add("|---|---|---|---|")
    for key in ("shell", "floor", "version", "once_cds" if boot.get("once_cds") else "once"):
        v = boot[key]
        add(f"| {v.label} | {fmt_s(v.med('wall'))} | {v.med('rss_mib'):.1f} | {v.med('cpu'):.3f} |")
    add("")
    work_s = shipped.med("wall") - boot["version"].med("wall")
    cli_s = boot["version"].med("wall") - boot["shell"].med("wall") - floor.med("wall")
    add(f"- launcher script ~{boot['shell'].med('wall'):.3f} s; JVM floor ~{floor.med('wall'):.3f} s; "
        f"starting the CLI beyond the floor ~{cli_s:.3f} s; the work of `once` (configuration, IMDS client and "
        f"requests, fragment) ~{work_s:.3f} s")
    add("")

    add("### JVM options: what each contributes to `once` (direct `java ... org.seedagent.cli.Main once`, cumulative)")
    add("")
    add("| JVM options | wall s | wall / floor | peak RSS MiB | CPU s |")
    add("|---|---|---|---|---|")
    fd = boot["floor_defaults"]
    add(f"| floor, JVM defaults (reference) | {fmt_s(fd.med('wall'))} | {fd.med('wall') / floor.med('wall'):.2f} | "
        f"{fd.med('rss_mib'):.1f} | {fd.med('cpu'):.3f} |")
    for v in boot["options"]:
        add(f"| {v.label} | {fmt_s(v.med('wall'))} | {v.med('wall') / floor.med('wall'):.2f} | {v.med('rss_mib'):.1f} | {v.med('cpu'):.3f} |")
    for key in ("once", "once_cds"):
        v = boot.get(key)
        if v:
            add(f"| {v.label} | {fmt_s(v.med('wall'))} | {v.med('wall') / floor.med('wall'):.2f} | {v.med('rss_mib'):.1f} | {v.med('cpu'):.3f} |")
    add("")
    add("The last options row and the launcher rows differ by the launcher script itself "
        "(`sh`, the Java lookup, the archive check). On a loaded 2-core machine a step's effect on wall time can "
        "drown in noise; its effect on CPU seconds (JIT and GC threads included) and RSS is steadier.")
    add("")

    add("### Classes loaded by `once`")
    add("")
    add("| | total | from the AppCDS archive | from the JDK's CDS archive | from jars | JDK modules (jrt) and generated |")
    add("|---|---|---|---|---|---|")
    for label, c in r["classes"]:
        add(f"| {label} | {c['total']} | {c['appcds']} | {c['jdk_cds']} | {c['jars']} | {c['jrt_generated']} |")
    for label, c in r["classes"]:
        if c["appcds"] and c["jars"]:
            add("")
            add(f"{label}: {c['jars']} classes still come from jars: "
                + ", ".join(f"{k} {v}" for k, v in c["jar_counts"].items()))
    add("")

    d = r["daemon"]
    s1, s2 = d["snapshots"]
    n1, n2 = r["marks"]
    add(f"## 2. Daemon: `seed-agent run`, poll.interval = 10ms ({r['daemon_label']})")
    add("")
    add("One daemon; each RSS, thread and fd figure is the median of 9 samples taken 15 ms apart at the mark. "
        "Polls are counted exactly (inotify on state.json, saved once per poll).")
    add("")
    add(f"| | after {n1:,} polls | after {n2:,} polls | growth |")
    add("|---|---|---|---|")
    add(f"| polls (counted) | {s1['polls']:,} | {s2['polls']:,} | {s2['polls'] - s1['polls']:,} |")
    add(f"| RSS MiB | {s1['rss_mib']:.1f} | {s2['rss_mib']:.1f} | {s2['rss_mib'] - s1['rss_mib']:+.1f} |")
    add(f"| of which anonymous (heap, metaspace, code, CDS, stacks) | {s1['anon_mib']:.1f} | {s2['anon_mib']:.1f} | {s2['anon_mib'] - s1['anon_mib']:+.1f} |")
    add(f"| of which file-backed (libjvm, modules, jars: shared page cache) | {s1['file_mib']:.1f} | {s2['file_mib']:.1f} | {s2['file_mib'] - s1['file_mib']:+.1f} |")
    add(f"| CPU s (utime+stime) | {s1['cpu']:.2f} | {s2['cpu']:.2f} | {s2['cpu'] - s1['cpu']:+.2f} |")
    add(f"| threads | {s1['threads']:g} | {s2['threads']:g} | {s2['threads'] - s1['threads']:+g} |")
    add(f"| open fds | {s1['fds']:g} | {s2['fds']:g} | {s2['fds'] - s1['fds']:+g} |")
    add(f"| metadata data requests (since start) | {s1['data']:,} | {s2['data']:,} | {s2['data'] - s1['data']:,} |")
    add(f"| token requests (since start) | {s1['tokens']} | {s2['tokens']} | {s2['tokens'] - s1['tokens']:+d} |")
    add("")
    dp = s2["polls"] - s1["polls"]
    cpu_per_1000 = (s2["cpu"] - s1["cpu"]) / dp * 1000
    wall_per_1000 = (s2["wall"] - s1["wall"]) / dp * 1000
    add(f"- CPU per 1,000 polls (between the marks): **{cpu_per_1000:.3f} s** "
        f"({cpu_per_1000:.3f} ms per poll); wall per 1,000 polls {wall_per_1000:.1f} s "
        f"(10 ms interval + the poll itself)")
    add(f"- At the default 60 s interval that is {cpu_per_1000 / 1000 * 1440:.2f} CPU s per day "
        f"(1,440 polls); the daemon exited with {d['exit']} on SIGTERM")
    add("")

    rpp = (s2["data"] - s1["data"]) / dp
    tk = r["tokens"]
    add("## 3. Metadata requests")
    add("")
    add(f"- Requests per poll in steady state: {s2['data'] - s1['data']:,} data requests / {dp:,} polls = "
        f"**{rpp:.4f}** (both counts are read with the daemon stopped by SIGSTOP; a poll whose request was "
        f"served but whose state was not saved yet can still put one request on either side)")
    off_steady = (s2["data"] - s1["data"]) - dp
    if off_steady > 1 or d["retries_logged"]:
        add(f"- Requests beyond one per poll between the marks: {off_steady}; retries logged by the agent's own retry "
            f"loop over the whole run: {d['retries_logged']}. Extra requests the agent did not retry were re-sent "
            f"below it, at the HTTP connection level (see docs/PERFORMANCE.md, \"Extra requests\")")
    steady_events = s2["events"] - s1["events"]
    steady_wall = s2["wall"] - s1["wall"]
    add(f"- Scheduled-event reads (events/maintenance/scheduled, counted apart from the address poll): "
        f"{s1['events']} by the first mark (the boot sync reads them; the settings checks it runs use that list), "
        f"**{steady_events} between the marks** ({dp:,} polls in {steady_wall:.0f} s; the daemon reads them at most "
        f"once every 5 min, 12 per hour, whatever the poll interval: at the default 60 s poll, 1 request per 5 polls "
        f"beside 60 address requests an hour); {d['events_total']} over the whole {d['wall_total']:.0f} s run")
    add(f"- The daemon logged {d['log_lines']} lines in {d['polls_total']:,} polls at log.level = debug")
    add(f"- Token requests during the whole daemon run ({d['polls_total']:,} polls): **{d['tokens_total']}**; "
        f"rejected requests (401): {d['rejected_total']}")
    add(f"- TTL check: with metadata.token-ttl = {tk['ttl_s']}s, {tk['tokens']} tokens in {tk['seconds']:.1f} s "
        f"= **{tk['tokens_per_ttl']:.2f} per TTL period** ({tk['polls']:,} polls; {tk['rejected']} request(s) rejected "
        f"with 401 at a token's expiry, each retried with a new token)")
    add(f"- Hence at the default 6 h TTL: 3600 / 21600 = **{1 / 6:.3f} token requests per hour** "
        f"(one per 6 h, plus at most one retried data request per expiry)")
    add("")

    det = r["detection"]
    times = det["times"]
    add(f"## 4. Detection: IP change at the emulator to the fragment rewritten (poll.interval = {det['interval_s']:g}s, "
        f"{len(times)} changes at random phases, fragment read every 10 ms)")
    add("")
    add(f"- Median **{median(times):.3f} s = {median(times) / det['interval_s']:.2f} poll intervals**; "
        f"max {max(times):.3f} s = {max(times) / det['interval_s']:.2f} intervals; all: "
        + ", ".join(f"{t:.3f}" for t in times))
    add("")

    dopt = r["daemon_options"]
    add(f"## 5. Daemon under JVM defaults and under the launcher's options (direct java, median of "
        f"{len(dopt['defaults'])} run(s) each, {r['option_polls'][1]:,} polls)")
    add("")
    add("| JVM options | RSS MiB | threads | open fds | CPU s per 1,000 polls |")
    add("|---|---|---|---|---|")
    for key, label in (("defaults", "JVM defaults (no options)"), ("launcher", "launcher's options for `once` (C1)"),
                       ("launcher_daemon", "launcher's options for `run` (the daemon: the interpreter alone)")):
        runs = dopt[key]
        add(f"| {label} | {median([x['rss_mib'] for x in runs]):.1f} | {median([x['threads'] for x in runs]):g} | "
            f"{median([x['fds'] for x in runs]):g} | {median([x['cpu_per_1000'] for x in runs]):.3f} |")
    add("")

    de = r["daemon_eip"]
    e1 = de["snapshots"][0]
    add(f"## 6. Elastic IP: the daemon with `eip.address` set ({r['daemon_label']}, poll.interval = 10ms)")
    add("")
    add("The address is claimed at boot from a second emulator that serves the EC2 side as well (instance profile, "
        "DescribeAddresses): the credentials provider, the signer and the XML reader are loaded. Feature off is "
        "phase 2's daemon (no `eip.*` key, no instance profile) at the same mark.")
    add("")
    add(f"| after {n1:,} polls | feature off (phase 2) | Elastic IP claimed | difference |")
    add("|---|---|---|---|")
    add(f"| RSS MiB | {s1['rss_mib']:.1f} | {e1['rss_mib']:.1f} | {e1['rss_mib'] - s1['rss_mib']:+.1f} |")
    add(f"| of which anonymous | {s1['anon_mib']:.1f} | {e1['anon_mib']:.1f} | {e1['anon_mib'] - s1['anon_mib']:+.1f} |")
    add(f"| threads | {s1['threads']:g} | {e1['threads']:g} | {e1['threads'] - s1['threads']:+g} |")
    add(f"| open fds | {s1['fds']:g} | {e1['fds']:g} | {e1['fds'] - s1['fds']:+g} |")
    add(f"| CPU s | {s1['cpu']:.2f} | {e1['cpu']:.2f} | {e1['cpu'] - s1['cpu']:+.2f} |")
    add("")

    d25 = r.get("daemon25")
    if d25:
        t1, t2 = d25["snapshots"]
        dp25 = t2["polls"] - t1["polls"]
        add(f"## 7. The daemon on each runtime (poll.interval = 10ms; JDK 17: phase 2, {r['daemon_label']}; "
            "JDK 25: the launcher with its AOT cache, run right after phase 2)")
        add("")
        add(f"| | JDK 17, {n1:,} polls | JDK 17, {n2:,} polls | JDK 25, {n1:,} polls | JDK 25, {n2:,} polls |")
        add("|---|---|---|---|---|")
        add(f"| RSS MiB | {s1['rss_mib']:.1f} | {s2['rss_mib']:.1f} | {t1['rss_mib']:.1f} | {t2['rss_mib']:.1f} |")
        add(f"| of which anonymous | {s1['anon_mib']:.1f} | {s2['anon_mib']:.1f} | {t1['anon_mib']:.1f} | {t2['anon_mib']:.1f} |")
        add(f"| threads | {s1['threads']:g} | {s2['threads']:g} | {t1['threads']:g} | {t2['threads']:g} |")
        add(f"| open fds | {s1['fds']:g} | {s2['fds']:g} | {t1['fds']:g} | {t2['fds']:g} |")
        add("")
        add(f"- CPU per 1,000 polls between the marks: JDK 17 {cpu_per_1000:.3f} s, JDK 25 "
            f"{(t2['cpu'] - t1['cpu']) / dp25 * 1000:.3f} s")
        add("")

    # Targets
    targets = []
    ratio = shipped.med("wall") / floor.med("wall")
    targets.append((f"boot path <= {BOOT_MAX_RATIO:g}x floor ({shipped.label})", f"{ratio:.2f}x", ratio <= BOOT_MAX_RATIO))
    if boot.get("once_aot"):
        ratio_a = boot["once_aot"].med("wall") / floor.med("wall")
        targets.append((f"boot path <= {BOOT_AOT_MAX_RATIO:g}x the JDK 17 floor ({boot['once_aot'].label})", f"{ratio_a:.2f}x",
                        ratio_a <= BOOT_AOT_MAX_RATIO))
    ratio_e = boot["once_eip"].med("wall") / shipped.med("wall")
    targets.append((f"`once` with an Elastic IP already associated <= {EIP_BOOT_MAX_RATIO:g}x `once` without", f"{ratio_e:.2f}x",
                    ratio_e <= EIP_BOOT_MAX_RATIO))
    if boot.get("once_cds"):
        ratio_n = boot["once"].med("wall") / floor.med("wall")
        targets.append((f"boot path <= {BOOT_MAX_RATIO:g}x floor ({boot['once'].label}: first start, before the archive exists)",
                        f"{ratio_n:.2f}x", ratio_n <= BOOT_MAX_RATIO))
    peak = max(s1["rss_mib"], s2["rss_mib"])
    targets.append((f"daemon RSS <= {DAEMON_MAX_RSS_MIB:g} MiB ({r['daemon_label']}; issue 24)", f"{peak:.1f} MiB",
                    peak <= DAEMON_MAX_RSS_MIB))
    targets.append((f"daemon RSS <= {DAEMON_EIP_MAX_RSS_MIB:g} MiB with an Elastic IP claimed", f"{e1['rss_mib']:.1f} MiB",
                    e1["rss_mib"] <= DAEMON_EIP_MAX_RSS_MIB))
    growth_rss = s2["rss_mib"] - s1["rss_mib"]
    growth_threads = s2["threads"] - s1["threads"]
    growth_fds = s2["fds"] - s1["fds"]
    targets.append((f"no growth {n1:,} -> {n2:,} polls (RSS <= +{RSS_GROWTH_TOLERANCE_MIB:g} MiB, threads and fds <= +{COUNT_GROWTH_TOLERANCE})",
                    f"RSS {growth_rss:+.1f} MiB, threads {growth_threads:+g}, fds {growth_fds:+g}",
                    growth_rss <= RSS_GROWTH_TOLERANCE_MIB and growth_threads <= COUNT_GROWTH_TOLERANCE
                    and growth_fds <= COUNT_GROWTH_TOLERANCE))
    if d25:
        g_rss, g_threads, g_fds = t2["rss_mib"] - t1["rss_mib"], t2["threads"] - t1["threads"], t2["fds"] - t1["fds"]
        targets.append((f"no growth {n1:,} -> {n2:,} polls on JDK 25 (same tolerances)",
                        f"RSS {g_rss:+.1f} MiB, threads {g_threads:+g}, fds {g_fds:+g}",
                        g_rss <= RSS_GROWTH_TOLERANCE_MIB and g_threads <= COUNT_GROWTH_TOLERANCE
                        and g_fds <= COUNT_GROWTH_TOLERANCE))
    off = (s2["data"] - s1["data"]) - dp
    targets.append(("exactly 1 metadata request per poll (+-1 request for the snapshots' skew)",
                    f"{rpp:.4f} ({off:+d} requests over {dp:,} polls)", abs(off) <= 1))
    targets.append(("1 token request for the daemon run (token reused)", f"{d['tokens_total']}", d["tokens_total"] == 1))
    bound = det["interval_s"] + DETECTION_SLACK_S
    targets.append((f"detection <= 1 poll interval + {DETECTION_SLACK_S:g} s = {bound:g} s (every change)",
                    f"median {median(times):.3f} s, max {max(times):.3f} s", max(times) <= bound))
    add("## Targets")
    add("")
    add("| target | measured | result |")
    add("|---|---|---|")
    for name, measured, ok in targets:
        add(f"| {name} | {measured} | **{verdict(ok)}** |")
    add("")
    return "\n".join(lines), targets


# ---------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="boot-path runs per variant (default 11; --quick: 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 runs, 1,000/2,000 polls, 3 changes, 1,000 polls with an Elastic IP")
    parser.add_argument("--home", help="a built seed-agent distribution to measure (default: target/seed-agent)")
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "bench"), help="output directory")
    args = parser.parse_args()
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    runs = args.runs or (3 if args.quick else 11)
    marks = (1000, 2000) if args.quick else (1000, 10000)
    changes = 3 if args.quick else 7
    token_seconds = 5 if args.quick else 10
    option_rounds = 1 if args.quick else 3
    option_polls = (100, 500)

    home = os.path.abspath(args.home or os.path.join(ROOT, "target", "seed-agent"))
    launcher = os.path.join(home, "bin", "seed-agent")
    if not os.access(launcher, os.X_OK):
        raise BenchError(f"no launcher at {launcher}: build first (mvn -B -q package -DskipTests)")
    out = os.path.abspath(args.out)
    work = os.path.join(out, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    if not os.access(GNU_TIME, os.X_OK):
        raise BenchError(f"{GNU_TIME} (GNU time) is needed to measure peak RSS: apt-get install time / dnf install time")
    java = find_java()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NOTIFY_SOCKET", "JOURNAL_STREAM", "WATCHDOG_USEC", "WATCHDOG_PID", "SEED_AGENT_JAVA_OPTS",
                        "SEED_AGENT_CDS", "SEED_AGENT_CDS_DIR", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")
           and not k.lower().endswith("_proxy")}
    env["SEED_AGENT_JAVA"] = java  # the launcher, the floor and the direct runs use this one JVM
    ctx = {"quick": args.quick, "runs": runs, "marks": marks, "home": home, "option_polls": option_polls,
           "command": " ".join(["bench/run.sh"] + sys.argv[1:])}
    ctx["machine"] = machine_info(java)
    ctx["commit"] = git_describe(home) if not args.home else "not this worktree's build (--home)"
    ctx["version"] = subprocess.run([launcher, "--version"], env=env, capture_output=True, text=True).stdout.strip()
    log(f"{ctx['version']} at {home}; java {java}; {runs} runs; marks {marks}")

    floor_cp = compile_floor(java, out)
    emulator = Emulator(launcher, env, work)
    log(f"emulator at {emulator.base}")
    eip_emulator = None
    try:
        # The EC2 side too: an instance profile, and an Elastic IP already associated with this instance
        # (a seed's usual boot: DescribeAddresses finds it here, no AssociateAddress).
        eip_emulator = Emulator(launcher, env, work, ["--elastic-ip", EIP, "--elastic-ip-held-by", THIS_INSTANCE],
                                "emulator-ec2")
        eip_conf = f"eip.address = {EIP}\nec2.endpoint = {eip_emulator.base}\n"
        boot_dir, boot_conf, _ = agent_dir(work, "probe", emulator)
        options, cp, main_class = launcher_command(launcher, env, work, ["--config", boot_conf, "once"])
        ctx["launcher_options"] = options
        log("launcher's JVM options: " + " ".join(options))
        daemon_options, _, _ = launcher_command(launcher, env, work, ["--config", boot_conf, "run"])
        ctx["launcher_daemon_options"] = daemon_options
        log("launcher's JVM options for the daemon: " + " ".join(daemon_options))

        archive, seconds, message = make_cds_archive(launcher, env, out)
        ctx["cds"] = {"archive": archive, "seconds": seconds, "message": message}
        log(f"AppCDS: {message}")
        cds_env = dict(env, SEED_AGENT_CDS_DIR=os.path.dirname(archive)) if archive else None
        # A seed with an Elastic IP configured has its archive made for that configuration (the launcher reads
        # it): the `once` and the daemon with an Elastic IP use that one.
        eip_cds_conf = os.path.join(work, "cds-eip.conf")
        with open(eip_cds_conf, "w") as f:
            f.write(eip_conf)
        eip_archive, eip_seconds, eip_message = make_cds_archive(launcher, env, out, "cds-eip", eip_cds_conf)
        ctx["cds_eip"] = {"archive": eip_archive, "seconds": eip_seconds, "message": eip_message}
        log(f"AppCDS, Elastic IP configured: {eip_message}")
        eip_cds_env = dict(env, SEED_AGENT_CDS_DIR=os.path.dirname(eip_archive)) if eip_archive else None
        java25 = find_java25()
        aot_env = None
        ctx["aot"] = {"java": java25, "cache": None}
        if java25:
            cache, seconds25, message25 = make_aot_cache(launcher, dict(env, SEED_AGENT_JAVA=java25), out)
            ctx["aot"] = {"java": java25, "java_version": java_version(java25), "cache": cache, "seconds": seconds25,
                          "message": message25}
            log(f"JDK 25: {java25}: {message25}")
            if cache:
                aot_env = dict(env, SEED_AGENT_JAVA=java25, SEED_AGENT_CDS_DIR=os.path.dirname(cache))
        else:
            log("JDK 25: none found (BENCH_JAVA25, /usr/lib/jvm): the AOT cache's rows are left out")
        no_cds_env = dict(env, SEED_AGENT_CDS_DIR=os.path.join(work, "cds-none"))

        # Phase 1: every variant once per round, in the same order, after a warm-up round.
        def once_variant(key, label, argv_prefix, variant_env):
            directory, conf, fragment = agent_dir(work, "boot-" + key, emulator)
            return Variant(key, label, [*argv_prefix, "--config", conf, "once"], variant_env, directory, fragment)

        boot = {"floor": Variant("floor", "floor (Floor.java, launcher's JVM options)",
                                 [java, *options, "-cp", floor_cp, "Floor"], env, work)}
        if archive:
            boot["once_cds"] = once_variant("once_cds", "seed-agent once, with the AppCDS archive", [launcher], cds_env)
            boot["once"] = once_variant("once", "seed-agent once, without an archive", [launcher], no_cds_env)
        else:
            boot["once"] = once_variant("once", "seed-agent once (no archive: unsupported)", [launcher], no_cds_env)
        if aot_env:
            boot["once_aot"] = once_variant("once_aot", "seed-agent once, JDK 25 with its AOT cache", [launcher], aot_env)
        shipped_env = cds_env or no_cds_env
        eip_dir, eip_once_conf, eip_fragment = agent_dir(work, "boot-once_eip", eip_emulator, eip_conf)
        boot["once_eip"] = Variant("once_eip", "seed-agent once, Elastic IP configured (already here: one DescribeAddresses; "
                                   + ("its archive made for that configuration)" if eip_archive else "no archive)"),
                                   [launcher, "--config", eip_once_conf, "once"], eip_cds_env or no_cds_env, eip_dir,
                                   eip_fragment, EIP)
        boot["shell"] = Variant("shell", "launcher script alone (java replaced by `true`)",
                                [launcher, "--config", boot_conf, "once"],
                                dict(shipped_env, SEED_AGENT_JAVA=shutil.which("true") or "/bin/true"), work)
        boot["version"] = Variant("version", "seed-agent --version (launcher, JVM, CLI; no work)",
                                  [launcher, "--version"], shipped_env, work)
        script_dir, _, script_fragment = agent_dir(work, "boot-script", emulator)
        boot["script"] = Variant("script", "old approach: curl script (old-boot-script.sh)",
                                 [os.path.join(BENCH, "old-boot-script.sh"), emulator.base, script_fragment],
                                 env, script_dir, script_fragment)
        boot["floor_defaults"] = Variant("floor_defaults", "floor, JVM defaults", [java, "-cp", floor_cp, "Floor"], env, work)
        boot["options"] = []
        for k in range(len(options) + 1):
            label = "JVM defaults (no options)" if k == 0 else "+ " + options[k - 1]
            boot["options"].append(once_variant(f"opt{k}", label, [java, *options[:k], "-cp", cp, main_class], env))
        order = [boot[k] for k in ("floor", "once_cds", "once", "once_aot", "once_eip", "script", "shell", "version",
                                   "floor_defaults")
                 if boot.get(k)] + boot["options"]
        log(f"phase 1: boot path, {len(order)} variants x ({runs} + 1 warm-up) runs")
        for rnd in range(runs + 1):
            # Every variant once per round; the starting point rotates, so that no variant always
            # follows the same one (a heavy run, e.g. JVM defaults, disturbs the next one a little).
            start_at = rnd % len(order)
            for v in order[start_at:] + order[:start_at]:
                v.run_once(keep=rnd > 0)
            if rnd:
                log(f"  round {rnd}/{runs}: once {boot['once'].runs[-1]['wall']:.3f} s, floor {boot['floor'].runs[-1]['wall']:.3f} s, "
                    f"script {boot['script'].runs[-1]['wall']:.3f} s")
        ctx["boot"] = boot
        ctx["classes"] = []
        if archive:
            ctx["classes"].append(("with the AppCDS archive", class_sources(launcher, cds_env, boot_conf, work)))
        ctx["classes"].append(("without an archive", class_sources(launcher, no_cds_env, boot_conf, work)))

        daemon_env = cds_env or no_cds_env
        ctx["daemon_label"] = "launcher, with the AppCDS archive" if archive else "launcher, no archive"
        log(f"phase 2: daemon to {marks[1]:,} polls")
        ctx["daemon"] = daemon_run(launcher, daemon_env, work, emulator, marks)
        ctx["daemon25"] = None
        if aot_env:
            log(f"phase 2b: daemon on JDK 25 with its AOT cache to {marks[1]:,} polls")
            ctx["daemon25"] = daemon_run(launcher, aot_env, work, emulator, marks, "daemon-jdk25")
        log(f"phase 3: token TTL check ({token_seconds} s)")
        ctx["tokens"] = token_run(launcher, daemon_env, work, emulator, token_seconds)
        log(f"phase 4: detection, {changes} changes")
        ctx["detection"] = detection_run(launcher, daemon_env, work, emulator, changes)
        log(f"phase 5: daemon under JVM defaults and the launcher's options, {option_rounds} round(s)")
        ctx["daemon_options"] = {"defaults": [], "launcher": [], "launcher_daemon": []}
        for rnd in range(option_rounds):
            for key, opts in (("defaults", []), ("launcher", options), ("launcher_daemon", daemon_options)):
                ctx["daemon_options"][key].append(
                    daemon_options_run(java, opts, cp, main_class, env, work, emulator, f"daemon-{key}", option_polls))
        log(f"phase 6: daemon with an Elastic IP claimed at boot, to {marks[0]:,} polls")
        ctx["daemon_eip"] = daemon_run(launcher, eip_cds_env or no_cds_env, work, eip_emulator, marks[:1], "daemon-eip",
                                       eip_conf)
        ctx["load_end"] = os.getloadavg()
    finally:
        if eip_emulator:
            stop(eip_emulator.proc)
        stop(emulator.proc)

    text, targets = report(ctx)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(text + "\n")
    raw = {k: v for k, v in ctx.items() if k not in ("boot",)}
    raw["boot"] = {}
    for key, v in ctx["boot"].items():
        for variant in (v if isinstance(v, list) else [v]):
            raw["boot"][variant.key] = {"label": variant.label, "argv": variant.argv,
                                        "runs": [{k: x[k] for k in ("wall", "rss_mib", "cpu")} for x in variant.runs]}
    raw["targets"] = [{"target": t, "measured": m_, "pass": ok} for t, m_, ok in targets]
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(raw, f, indent=1, default=str)
    print(text)
    print(f"(written to {os.path.relpath(os.path.join(out, 'results.md'), os.getcwd())} and results.json)")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops what we started
    try:
        sys.exit(main())
    except (BenchError, subprocess.CalledProcessError, OSError) as e:
        log(f"benchmark failed: {e}")
        sys.exit(1)
    finally:
        for p in list(STARTED):
            stop(p)
