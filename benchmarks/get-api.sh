#!/usr/bin/env bash
# A 1 GiB random file put into a fresh cell from the distribution, then read back with `curl` from
# GET /api/v1/files/big.bin (every chunk read from the store, checked against its id and tag, decrypted, streamed):
# the time and the cell's CPU per read (the bytes go to /dev/null), then one more read checked against the file.
#
#   benchmarks/get-api.sh [READS]     (default 2; GROVE_DIST runs another unpacked distribution, BENCH_SIZE bytes;
#                                      UPLOAD=curl sends the file with `curl -T` to PUT /api/v1/files/big.bin instead)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. benchmarks/cells.sh
use_distribution
WORK=${BENCH_DIR:-/tmp/grove-get-api}
mkdir -p "$WORK"
random_file "$WORK/big.bin" "${BENCH_SIZE:-$((1 << 30))}"
serve "$WORK/cell" cell
url=$(api_url "$WORK/cell"); token=$(api_token "$WORK/cell")
if [ "${UPLOAD:-}" = curl ]; then
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -T "$WORK/big.bin" "$url/api/v1/files/big.bin"
else
    "$GROVE" put "$WORK/big.bin" --as big.bin --dir "$WORK/cell" > /dev/null
fi
pid=$(pid_of "$WORK/cell")
want=$(sha256sum < "$WORK/big.bin")
echo "| read | GET (s) | cell CPU (s) |"
echo "|---|---|---|"
for n in $(seq "${1:-2}"); do
    c0=$(process_cpu "$pid"); t0=$(now)
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/files/big.bin"
    t1=$(now); c1=$(process_cpu "$pid")
    echo "| $n | $(elapsed "$t0" "$t1") | $(python3 -c "print(($c1 - $c0) / 100)") |"
done
got=$(curl -fsS -H "Authorization: Bearer $token" "$url/api/v1/files/big.bin" | sha256sum)
[ "$got" = "$want" ] || { echo "the bytes read back differ from the file" >&2; exit 1; }
