# Shared by scripts/start and scripts/test: find (or install) what the build needs.
# shellcheck shell=bash

log() { printf 'grove: %s\n' "$*" >&2; }

java_major() {
    "$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

# Prints the home of the newest JDK >= 21 (a javac next to java), installing one with apt-get if there is none.
find_jdk() {
    local best="" best_major=0 candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
        major=$(java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    if [ -z "$best" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "no JDK 21 or newer found; installing one with apt-get"
        apt-get update -qq >&2
        apt-get install -y -qq openjdk-21-jdk-headless >&2 || apt-get install -y -qq openjdk-25-jdk-headless >&2 || true
        for candidate in /usr/lib/jvm/*; do
            [ -x "$candidate/bin/javac" ] || continue
            major=$(java_major "$candidate/bin/java")
            if [ -n "$major" ] && [ "$major" -ge 21 ]; then best="$candidate"; fi
        done
    fi
    if [ -z "$best" ]; then
        log "needs a JDK 21 or newer (looked at \$JAVA_HOME and /usr/lib/jvm); install one or set JAVA_HOME"
        return 1
    fi
    printf '%s\n' "$best"
}

ensure_maven() {
    if ! command -v mvn >/dev/null; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            log "installing Maven with apt-get"
            apt-get update -qq >&2 && apt-get install -y -qq maven >&2
        else
            log "needs Apache Maven 3.8 or newer on the PATH"
            return 1
        fi
    fi
}

# The browser tests (module browser-tests) drive Debian's headless Chromium through its chromedriver; installs both
# with apt-get when missing (as root, non-interactively).
ensure_chromium() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing chromium and chromium-driver with apt-get (for the browser tests)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
    else
        log "the browser tests need /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium chromium-driver"
        return 1
    fi
}

# The LAN tests (transport-lan-mdns, distribution LanIT) build a two-host LAN from network namespaces with iproute2's
# 'ip'; installs it with apt-get when missing (as root). Without it those tests are skipped, saying why.
ensure_iproute2() {
    if command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing iproute2 with apt-get (for the LAN discovery tests)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >&2 || log "iproute2 not installed: LAN tests will be skipped"
    fi
}

# prime_cli_cache GROVE CELLDIR: makes sure the CLI of the distribution whose bin/grove is GROVE has its start-up cache
# (docs/distribution.md "Start-up cache"), as it has after a user's first `grove stats`, so that timed commands run as
# they usually do: runs `grove stats` against the serving cell in CELLDIR and waits for the background training.
prime_cli_cache() {
    "$1" stats --dir "$2" > /dev/null 2>&1 || true
    await_aot_training "$1" cli 600 || log "the CLI's start-up cache training did not end within a minute"
}

# await_aot_training GROVE KIND TRIES: waits while the distribution of bin/grove GROVE trains a start-up cache of KIND
# (cli, serve), checking TRIES times 0.1 s apart; fails if it is still training then. The launcher takes the
# training's lock before the command runs: no lock, no training (any more).
await_aot_training() {
    local aot
    aot="$(dirname "$1")/../var/aot"
    for _ in $(seq "$3"); do
        ls -d "$aot/$2"-*.lock > /dev/null 2>&1 || return 0
        sleep 0.1
    done
    return 1
}

# prime_serve_cache GROVE: makes sure the cell of the distribution whose bin/grove is GROVE has its start-up cache
# (docs/distribution.md "Start-up cache"), as it has from the second start of a cell on: starts a throwaway cell,
# waits for the background training that its start began (at most 5 minutes), and stops the cell.
prime_serve_cache() {
    local dir pid
    dir=$(mktemp -d)
    "$1" serve --dir "$dir/cell" --port 0 --peer-port 0 --set peer.bind=127.0.0.1 --set transports.lan.enabled=false \
        > "$dir/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do [ -f "$dir/cell/serve.json" ] && break; sleep 0.1; done
    await_aot_training "$1" serve 3000 || log "the cell's start-up cache training did not end within 5 minutes"
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    rm -rf "$dir"
}

# small_files FOLDER SEED: the benchmarks' set of 10,000 small files (1 to 24 KiB of random bytes, sizes drawn from
# SEED) in 100 folders of 100.
small_files() {
    python3 - "$1" "$2" <<'PY'
import os, random, sys
root, rng = sys.argv[1], random.Random(int(sys.argv[2]))
for d in range(100):
    os.makedirs(f"{root}/d{d:03}", exist_ok=True)
    for f in range(100):
        with open(f"{root}/d{d:03}/f{f:03}.bin", "wb") as out:
            out.write(os.urandom(rng.randint(1024, 24 * 1024)))
PY
}

# settle_disk DIR: flush what is written (sync), then wait (at most 30 s) until the disk holding DIR has been idle
# for half a second. Benchmarks call it before each timed part, so that neither product pays for the previous
# round's writeback or for the discards an `rm -rf` of its store issues (`discard` mounts).
settle_disk() {
    sync
    local dev stat busy last
    dev=$(basename "$(df --output=source "$1" | tail -n 1)")
    stat=/sys/class/block/$dev/stat
    [ -r "$stat" ] || return 0
    last=$(awk '{print $10}' "$stat")
    for _ in $(seq 60); do
        sleep 0.5
        busy=$(awk '{print $10}' "$stat")
        [ $((busy - last)) -lt 25 ] && return 0
        last=$busy
    done
}

# cache_input PATH...: reads every file below PATH once, untimed, so that each product's timed read of its input
# comes from the page cache. This VM's page cache does not keep files for long; whichever product read the data
# first would otherwise pay for reading it from the disk into fresh pages (~3 s of kernel time per GiB here).
cache_input() {
    find "$@" -type f -print0 | xargs -0 cat > /dev/null
}
