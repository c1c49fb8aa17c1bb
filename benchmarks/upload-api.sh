#!/usr/bin/env bash
# A 1 GiB random file uploaded to a fresh cell from the distribution with `curl -T` (PUT /api/v1/files/big.bin),
# as any HTTP client would, instead of the CLI's local put: the time until the cell answers 201 (the version is
# durable) and the cell's CPU for it.
#
#   benchmarks/upload-api.sh [ROUNDS]     (default 2; GROVE_DIST runs another unpacked distribution, BENCH_SIZE bytes)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benchmarks/cells.sh
use_distribution
WORK=${BENCH_DIR:-/tmp/grove-upload-api}
mkdir -p "$WORK"
random_file "$WORK/big.bin" "${BENCH_SIZE:-$((1 << 30))}"
echo "| round | PUT (s) | cell CPU (s) |"
echo "|---|---|---|"
for round in $(seq "${1:-2}"); do
    serve "$WORK/cell" cell
    url=$(api_url "$WORK/cell"); token=$(api_token "$WORK/cell")
    pid=$(pid_of "$WORK/cell")
    sleep 2 # the crypto warm-up, as on a cell that has been running
    c0=$(process_cpu "$pid"); t0=$(now)
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -T "$WORK/big.bin" "$url/api/v1/files/big.bin"
    t1=$(now); c1=$(process_cpu "$pid")
    echo "| $round | $(elapsed "$t0" "$t1") | $(python3 -c "print(($c1 - $c0) / 100)") |"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
