#!/bin/sh
# Stands in for java (SEED_AGENT_JAVA) so the benchmark learns exactly which options the launcher
# passes: writes its arguments, one per line, to $BENCH_ARGS_FILE, and starts nothing.
printf '%s\n' "$@" >"$BENCH_ARGS_FILE"
