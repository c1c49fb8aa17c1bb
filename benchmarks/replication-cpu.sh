#!/usr/bin/env bash
# Where the CPU goes when a 1 GiB file is put on cell A and replicated to cell B (factor 2), two cells from the
# distribution on loopback: CPU seconds per thread group of each cell (from /proc/PID/task/*/stat, before and after),
# the CLI's CPU, the time until `grove put` returns and until the file has 2 counting copies, and each cell's peak
# RSS. On a shared 2-core machine CPU seconds compare across runs far better than wall-clock seconds.
#
#   benchmarks/replication-cpu.sh [--set key=value ...]     (settings for both cells)
#
# JFR=1 also records a profile of each cell (BENCH_DIR/a.jfr, b.jfr; `jfr view hot-methods a.jfr`);
# GROVE_JAVA_OPTS is passed to the cells (default: the launcher's); WARM=1 first puts and replicates another file
# of WARM_SIZE bytes (default 192 MiB), so the JIT has compiled the path before the measured put; GROVE_DIST runs
# another unpacked distribution.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
WORK=${BENCH_DIR:-/tmp/grove-repl-cpu}
SIZE=${BENCH_SIZE:-$((1 << 30))}
. benchmarks/cells.sh
use_distribution
mkdir -p "$WORK"
random_file "$WORK/big.bin" "$SIZE"
random_file "$WORK/warm.bin" "${WARM_SIZE:-$((192 << 20))}"

cpu() { thread_cpu "$(pid_of "$1")"; } # cpu CELLDIR
copies() { api "$1" /api/v1/placement | json "min((f['confirmed'] for f in d if f['path'] == '$2'), default=0)"; }

A=$WORK/a B=$WORK/b
for c in a b; do
    if [ -n "${JFR:-}" ]; then
        GROVE_JAVA_OPTS="${GROVE_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC} -XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$WORK/$c.jfr" \
            serve "$WORK/$c" "$c" "$@"
    else
        serve "$WORK/$c" "$c" "$@"
    fi
done
"$GROVE" fleet create --dir "$A" > /dev/null
"$GROVE" join "$("$GROVE" invite --dir "$A" 2>/dev/null)" --dir "$B" > /dev/null
sleep 3 # routes measured, roster spread
if [ -n "${WARM:-}" ]; then
    "$GROVE" put "$WORK/warm.bin" --as warm.bin --dir "$A" > /dev/null
    until [ "$(copies "$A" warm.bin)" = 2 ]; do sleep 0.2; done
    sleep 2
fi
cpu "$A" > "$WORK/a.before"; cpu "$B" > "$WORK/b.before"
t0=$(now)
/usr/bin/time -f "%U %S" -o "$WORK/cli.time" "$GROVE" put "$WORK/big.bin" --as big.bin --dir "$A" > /dev/null
t1=$(now)
until [ "$(copies "$A" big.bin)" = 2 ]; do sleep 0.2; done
t2=$(now)
cpu "$A" > "$WORK/a.after"; cpu "$B" > "$WORK/b.after"
hwm() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$(pid_of "$1")/status"; }
echo "put $(elapsed "$t0" "$t1") s, factor 2 after $(elapsed "$t0" "$t2") s; peak RSS A $(hwm "$A") MiB, B $(hwm "$B") MiB"
python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
def load(path):
    return {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(path)}
for cell in "ab":
    before, after = load(f"{work}/{cell}.before"), load(f"{work}/{cell}.after")
    used = {k: ((v[0] - before.get(k, (0, 0))[0]) / 100, (v[1] - before.get(k, (0, 0))[1]) / 100) for k, v in after.items()}
    total, system = sum(u[0] for u in used.values()), sum(u[1] for u in used.values())
    top = ", ".join(f"{k} {u[0]:.1f}" for k, u in sorted(used.items(), key=lambda x: -x[1][0]) if u[0] >= 0.2)
    print(f"cell {cell}: {total:.1f} s CPU ({system:.1f} s system): {top}")
user, system = open(f"{work}/cli.time").read().split()
print(f"grove put (CLI): {float(user) + float(system):.1f} s CPU")
PY
