#!/usr/bin/env bash
# A short fuzzing run for CI: seeds from the examples and golden cases, fixed time.
# Usage: fuzz/smoke.sh FUZZER SECONDS
set -euo pipefail
fuzzer=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# fuzz/seeds hold programs that check, so that runs reach the engines early.
find "$root/examples" "$root/tests/diagnostics" "$root/stdlib" "$root/fuzz/seeds" -name '*.risk' -exec cp {} "$corpus/" \; 2>/dev/null || true
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -dict="$root/fuzz/risk.dict" -print_final_stats=1 "$corpus" 2>&1 | tail -n 15
