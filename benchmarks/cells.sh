# Shared by the benchmark scripts that run Grove cells from the distribution on loopback.
# shellcheck shell=bash
# Source after scripts/lib.sh. use_distribution sets GROVE (the bin/grove of a distribution). Cells get loopback
# peer sockets, no mDNS, gossip every 1 s, a sync round every 2 s and a route probe every 5 s (as a fleet that has
# been running, at test speed).

use_distribution() { # GROVE_DIST (an unpacked distribution, e.g. an older build to compare), else this build's
    JAVA_HOME=$(find_jdk); export JAVA_HOME
    local dist=${GROVE_DIST:-$(find distribution/target -maxdepth 1 -type d -name 'grove-*' | head -n 1)}
    if [ -z "$dist" ]; then
        ensure_maven
        mvn -B -q -DskipTests -pl distribution -am package >&2
        dist=$(find distribution/target -maxdepth 1 -type d -name 'grove-*' | head -n 1)
    fi
    case $dist in /*) GROVE="$dist/bin/grove" ;; *) GROVE="$PWD/$dist/bin/grove" ;; esac
    prime_serve_cache "$GROVE" # fresh cells start as a user's do from the second start on
}

random_file() { # random_file PATH SIZE: made once, kept while its size matches
    if [ ! -f "$1" ] || [ "$(stat -c %s "$1")" != "$2" ]; then
        head -c "$2" /dev/urandom > "$1"
    fi
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
api_url() { json 'd["apiUrl"]' < "$1/serve.json"; } # api_url CELLDIR: where the serving cell's API listens
api_token() { cat "$1/api.token"; }                  # api_token CELLDIR: its bearer token
api() { # api CELLDIR PATH
    curl -fsS -H "Authorization: Bearer $(api_token "$1")" "$(api_url "$1")$2"
}
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

serve() { # serve DIR LABEL [--set key=value ...]: a fresh cell, returns once it serves
    local dir=$1 label=$2
    shift 2
    rm -rf "$dir"
    "$GROVE" serve --dir "$dir" --port 0 --peer-port 0 --set peer.bind=127.0.0.1 --set cell.label="$label" \
        --set transports.lan.enabled=false --set fleet.gossip-interval=1s --set sync.interval=2s \
        --set routes.probe-interval=5s "$@" > "$dir.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 600); do [ -f "$dir/serve.json" ] && break; sleep 0.1; done
    prime_cli_cache "$GROVE" "$dir"
}

pid_of() { json 'd["pid"]' < "$1/serve.json"; }

process_cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # process_cpu PID: user + system ticks so far

tree_cpu() { # tree_cpu PID...: user + system ticks so far of these processes and their descendants, together
    python3 - "$@" <<'PY'
import os, sys
procs = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            s = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        procs[int(p)] = (int(f[1]), int(f[11]) + int(f[12]))
want, grew = set(map(int, sys.argv[1:])), True
while grew:
    grew = False
    for pid, (ppid, _) in procs.items():
        if ppid in want and pid not in want:
            want.add(pid)
            grew = True
print(sum(procs[p][1] for p in want if p in procs))
PY
}

thread_cpu() { # thread_cpu PID: "thread-group total-ticks system-ticks" per line (a thread's trailing number dropped)
    local t s name rest
    for t in /proc/"$1"/task/*; do
        s=$(cat "$t/stat" 2>/dev/null) || continue
        name=${s#*(}; name=${name%%)*}; rest=${s##*) }
        # shellcheck disable=SC2086
        set -- $rest
        echo "${name// /_} $((${12} + ${13})) ${13}"
    done | awk '{sub(/[0-9]+$/, "", $1); a[$1] += $2; s[$1] += $3} END {for (k in a) print k, a[k], s[k]}'
}

# The data set of ingest-vs-restic.sh (BENCH_DATA), and a check that it holds what a benchmark needs.
DATA=${BENCH_DATA:-/tmp/grove-bench/data}
require_data() { # require_data NAME: exits unless $DATA/NAME exists
    [ -e "$DATA/$1" ] || { echo "no $DATA/$1: run benchmarks/ingest-vs-restic.sh once to make the data set" >&2; exit 1; }
}
