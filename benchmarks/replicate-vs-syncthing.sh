#!/usr/bin/env bash
# Replication of one 1 GiB file between two cells on loopback (Grove: time from `grove put` on A until the file has
# 2 counting copies, i.e. A's own and B's) against two Syncthing instances on loopback (time from copying the file
# into A's shared folder until B's copy is complete and identical), run alternately. Then Grove's repair throughput:
# a third cell joins, the holder B is stopped, and the time until the file is back at 2 copies.
#
#   benchmarks/replicate-vs-syncthing.sh [ROUNDS]      (default 2; needs root for apt-get when syncthing is missing)
#
# GROVE_DIST=folder runs another unpacked distribution (e.g. a copy of an older build, to compare alternately);
# GROVE_SET="key=value ..." adds settings to every Grove cell (e.g. replication.eager.enabled=false);
# SKIP_SYNCTHING=1 runs the Grove rounds only.
#
# CPU: user + system seconds, from /proc, of both cells (with the CLI's `grove put`) from the put until factor 2, and
# of both Syncthing processes (with any children) from the copy until B's copy is complete; on two cores neither
# time can fall below half of its CPU.
#
# Prints Markdown table rows for docs/benchmarks.md. Everything listens on 127.0.0.1 only; Syncthing's global
# discovery, relays, NAT traversal and usage reporting are off.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ROUNDS=${1:-2}
WORK=${BENCH_DIR:-/tmp/grove-repl-bench}
SIZE=${BENCH_SIZE:-$((1 << 30))}

if ! command -v syncthing >/dev/null; then
    log "installing syncthing"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq syncthing >&2
fi
. benchmarks/cells.sh
use_distribution
EXTRA=()
for kv in ${GROVE_SET:-}; do EXTRA+=(--set "$kv"); done
mkdir -p "$WORK"
random_file "$WORK/big.bin" "$SIZE"
EXPECTED=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)
sync

confirmed() { api "$1" /api/v1/placement | json 'd[0]["confirmed"] if d else 0'; }

grove_round() {
    local a="$WORK/g-a" b="$WORK/g-b" c="$WORK/g-c" t0 t1 t2 t3
    serve "$a" a --set healing.grace-period=10s "${EXTRA[@]}"; serve "$b" b --set healing.grace-period=10s "${EXTRA[@]}"
    "$GROVE" fleet create --dir "$a" > /dev/null
    "$GROVE" join "$("$GROVE" invite --dir "$a" 2>/dev/null)" --dir "$b" > /dev/null
    sleep 3 # routes measured, roster spread: as between cells that have been running
    # The input in the page cache and the disk quiet at the start, as for Syncthing below: the previous round's files
    # (Syncthing's are written through the page cache) and the discards of its deleted folders would otherwise still
    # be going to the disk while the chunks are written directly (since session 12).
    cache_input "$WORK/big.bin"
    settle_disk "$WORK"
    local cells c0 c1
    cells="$(pid_of "$a") $(pid_of "$b")"
    # shellcheck disable=SC2086
    c0=$(tree_cpu $cells)
    t0=$(now)
    /usr/bin/time -f "%U %S" -o "$WORK/cli.time" "$GROVE" put "$WORK/big.bin" --as big.bin --dir "$a" > /dev/null
    t1=$(now)
    until [ "$(confirmed "$a")" = 2 ]; do sleep 0.2; done
    t2=$(now)
    # shellcheck disable=SC2086
    c1=$(tree_cpu $cells)
    # Repair: a third cell joins, the holder stops; time until the file is back at 2 counting copies.
    serve "$c" c --set healing.grace-period=10s "${EXTRA[@]}"
    "$GROVE" join "$("$GROVE" invite --dir "$a" 2>/dev/null)" --dir "$c" > /dev/null
    sleep 3
    kill "$(pid_of "$b")"
    t3=$(now)
    until api "$a" /api/v1/placement | grep -q "$(json 'd["cellId"]' < "$c/serve.json")" \
        && [ "$(confirmed "$a")" = 2 ]; do sleep 0.2; done
    local t4; t4=$(now)
    cleanup; PIDS=()
    echo "$(elapsed "$t0" "$t1") $(elapsed "$t0" "$t2") $(elapsed "$t3" "$t4")" \
        "$(python3 -c "u, s = open('$WORK/cli.time').read().split(); print(f'{($c1 - $c0) / 100 + float(u) + float(s):.1f}')")"
}

st_config() { # st_config HOME PORT GUIPORT
    syncthing generate --home="$1" > /dev/null 2>&1
    python3 - "$1/config.xml" "$2" "$3" <<'PY'
import re, sys
path, port, gui = sys.argv[1], sys.argv[2], sys.argv[3]
x = open(path).read()
x = re.sub(r"<listenAddress>.*?</listenAddress>", "", x)
x = x.replace("<options>", f"<options><listenAddress>tcp://127.0.0.1:{port}</listenAddress>", 1)
for tag, value in [("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"), ("relaysEnabled", "false"),
                   ("natEnabled", "false"), ("urAccepted", "-1"), ("autoUpgradeIntervalH", "0"),
                   ("crashReportingEnabled", "false"), ("startBrowser", "false")]:
    x = re.sub(f"<{tag}>.*?</{tag}>", f"<{tag}>{value}</{tag}>", x)
x = re.sub(r"<address>127.0.0.1:\d+</address>", f"<address>127.0.0.1:{gui}</address>", x)
open(path, "w").write(x)
PY
}

st_round() {
    local a="$WORK/s-a" b="$WORK/s-b" ida idb t0 t1
    rm -rf "$a" "$b"; mkdir -p "$a/folder" "$b/folder" "$a/staging"
    st_config "$a/home" 22001 28384; st_config "$b/home" 22002 28385
    ida=$(syncthing --home="$a/home" --device-id); idb=$(syncthing --home="$b/home" --device-id)
    for side in a:$ida:$idb:22002 b:$idb:$ida:22001; do
        IFS=: read -r name self peer port <<< "$side"
        python3 - "$WORK/s-$name/home/config.xml" "$self" "$peer" "$port" "$WORK/s-$name/folder" <<'PY'
import re, sys
path, me, peer, port, folder = sys.argv[1:]
x = open(path).read()
x = re.sub(r"<folder id=\"default\".*?</folder>", "", x, flags=re.S)
device = (f'<device id="{peer}" name="peer" compression="never" introducer="false"><address>tcp://127.0.0.1:{port}'
          f'</address><autoAcceptFolders>false</autoAcceptFolders></device>')
share = (f'<folder id="bench" label="bench" path="{folder}" type="sendreceive" rescanIntervalS="3600" '
         f'fsWatcherEnabled="true" fsWatcherDelayS="1"><device id="{me}"></device><device id="{peer}"></device>'
         f'<minDiskFree unit="%">0</minDiskFree></folder>')
x = x.replace("</configuration>", share + device + "</configuration>")
open(path, "w").write(x)
PY
    done
    syncthing serve --home="$a/home" --no-browser --no-restart > "$a.log" 2>&1 & PIDS+=($!)
    syncthing serve --home="$b/home" --no-browser --no-restart > "$b.log" 2>&1 & PIDS+=($!)
    # Copied beside the folder first, then moved in: the file appears whole, as `grove put` reads a whole file, and
    # the copy is not timed. Copied straight in (until session 11), about half of Syncthing's rounds took ~15 s
    # instead of ~8, likely because its watcher (1 s delay) fired while the copy was still being written.
    cp "$WORK/big.bin" "$a/staging/big.bin"
    sleep 10 # both up and connected, as two instances that have been running
    cache_input "$a/staging"
    settle_disk "$WORK"
    local c0 c1
    c0=$(tree_cpu "${PIDS[@]}")
    t0=$(now)
    mv "$a/staging/big.bin" "$a/folder/big.bin"
    until [ -f "$b/folder/big.bin" ] && [ "$(stat -c %s "$b/folder/big.bin")" = "$SIZE" ]; do sleep 0.2; done
    t1=$(now)
    c1=$(tree_cpu "${PIDS[@]}")
    cleanup; PIDS=()
    [ "$(sha256sum "$b/folder/big.bin" | cut -d' ' -f1)" = "$EXPECTED" ] || { log "syncthing copy differs"; exit 1; }
    echo "$(elapsed "$t0" "$t1") $(python3 -c "print(f'{($c1 - $c0) / 100:.1f}')")"
}

echo "| round | grove put (s) | grove to factor 2 (s) | syncthing full copy (s) | grove CPU (s) | syncthing CPU (s) | grove repair after a loss (s) | load |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    read -r put factor repair gcpu <<< "$(grove_round)"
    st="skipped -"; [ -n "${SKIP_SYNCTHING:-}" ] || st=$(st_round)
    read -r st_time st_cpu <<< "$st"
    echo "| $round | $put | $factor | $st_time | $gcpu | $st_cpu | $repair | $(cut -d' ' -f1-3 /proc/loadavg) |"
done
