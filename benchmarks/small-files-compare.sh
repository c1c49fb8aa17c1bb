#!/usr/bin/env bash
# The 10,000 small files of ingest-vs-restic.sh, three ways at nearly the same moment (for a busy, shared machine):
# restic backup, the folder as a ready tar through curl to POST /api/v1/archive (the cell alone), and grove put of
# the folder (CLI included) into the same cell. Needs the data set of ingest-vs-restic.sh and a built distribution.
#
#   benchmarks/small-files-compare.sh           (BENCH_DATA: the data set, default /tmp/grove-bench/data)
#   SERVE_SET="--set ingest.pack-below=0" ...   (e.g. without packs; the cell runs with the launcher's defaults
#                                               unless GROVE_JAVA_OPTS is set)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
JAVA_HOME=$(find_jdk); export JAVA_HOME
DATA=${BENCH_DATA:-/tmp/grove-bench/data}
W=${BENCH_DIR:-/tmp/grove-bench-small}
GROVE="$PWD/$(find distribution/target -maxdepth 1 -type d -name 'grove-*' | head -n 1)/bin/grove"
mkdir -p "$W"
[ -f "$W/small.tar" ] || tar cf "$W/small.tar" -C "$DATA" small
t() { date +%s.%N; }
d() { python3 -c "print(f'{$2 - $1:.2f}')"; }
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$W/restic-cache"
rm -rf "$W/repo"; restic init --repo "$W/repo" -q; sync
a=$(t); restic backup --repo "$W/repo" -q "$DATA/small" > /dev/null; b=$(t); echo "restic: $(d "$a" "$b") s"
cell="$W/cell"; rm -rf "$cell"
# shellcheck disable=SC2086 # SERVE_SET holds several words
"$GROVE" serve --dir "$cell" --port 0 --peer-port 0 --set peer.bind=127.0.0.1 ${SERVE_SET:-} \
    > "$W/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do [ -f "$cell/serve.json" ] && break; sleep 0.1; done
sleep 2; sync
url=$(python3 -c "import json; print(json.load(open('$cell/serve.json'))['apiUrl'])")
a=$(t); curl -sf -H "Authorization: Bearer $(cat "$cell/api.token")" -H 'Content-Type: application/x-tar' \
    --data-binary "@$W/small.tar" "$url/api/v1/archive?prefix=curl" > /dev/null; b=$(t)
echo "grove, tar via curl: $(d "$a" "$b") s"
a=$(t); "$GROVE" put "$DATA/small" --dir "$cell" --as cli > /dev/null; b=$(t)
echo "grove put (CLI, content already stored): $(d "$a" "$b") s"
kill "$pid"; wait "$pid" 2>/dev/null || true
uptime
