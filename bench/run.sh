#!/bin/sh
# seed-agent benchmark (issue 8): boot path against the JVM's floor and the old curl script, the
# daemon's RSS, CPU, threads and fds over thousands of polls, metadata requests per poll, tokens,
# and the time to detect an address change. Everything runs against the built-in IMDSv2 emulator
# on 127.0.0.1; each figure is a median of runs measured side by side in this one invocation.
#
# usage: bench/run.sh [--quick] [--runs N] [--home DIST] [--out DIR]
#   --quick      smoke run (~1 min): 3 runs, 1,000/2,000 polls, 3 address changes
#   --runs N     boot-path runs per variant (default 11)
#   --home DIST  measure another built distribution (a directory with bin/seed-agent and lib/)
#   --out DIR    where results go (default target/bench)
# Needs Java 17+ (JDK: javac compiles bench/Floor.java), Maven (to build), python3, curl. With a JDK 25+
# installed (BENCH_JAVA25, else found under /usr/lib/jvm; BENCH_JAVA25=none: not), it also measures
# `once` and the daemon on it with its AOT cache (issue 24).
# Prints Markdown tables and writes target/bench/results.md and results.json. Exit status 0 when
# the measurement completed, whether or not the targets are met; 1 when something broke.
# See docs/PERFORMANCE.md.
set -eu
cd "$(dirname "$0")/.."

home_given=no
for arg; do
  case $arg in --home | --home=*) home_given=yes ;; -h | --help) exec python3 bench/bench.py --help ;; esac
done

# Build when there is no build, or the sources are newer than it.
if [ "$home_given" = no ]; then
  jar=$(ls target/seed-agent/lib/seed-agent-*.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ] || [ ! -x target/seed-agent/bin/seed-agent ] \
     || [ -n "$(find src/main pom.xml -newer "$jar" -print 2>/dev/null | head -1)" ]; then
    echo "[bench] building: mvn -B -q package -DskipTests" >&2
    mvn -B -q package -DskipTests >&2
  fi
fi

for tool in python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh: $tool is needed" >&2; exit 1; }
done
exec python3 bench/bench.py "$@"
