#!/usr/bin/env bash
# A short fuzzing run for CI: seeds from the repository, fixed time.
# Usage: fuzz/smoke.sh FUZZER SECONDS
#   parse_check_fuzzer: seeds are the .risk files of the examples, golden cases and stdlib
#   load_fuzzer:        seeds are the example declarations and person registers
set -euo pipefail
fuzzer=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
case "$(basename "$fuzzer")" in
  load_fuzzer)
    # Seeds cut into pieces that fit -max_len, so each starts with a header row or a line.
    for f in "$root"/examples/*/data/*.csv "$root"/examples/*/data/*.jsonl; do
      head -c 4000 "$f" > "$corpus/$(basename "$f")"
    done
    options+=(-max_len=8192)
    ;;
  *)
    # fuzz/seeds hold programs that check, so that runs reach the engines early.
    find "$root/examples" "$root/tests/diagnostics" "$root/stdlib" "$root/fuzz/seeds" -name '*.risk' -exec cp {} "$corpus/" \; 2>/dev/null || true
    options+=(-max_len=4096 -dict="$root/fuzz/risk.dict")
    ;;
esac
"$fuzzer" "${options[@]}" "$corpus" 2>&1 | tail -n 15
