#!/usr/bin/env bash
# Live traffic (bench/LiveBench.java): starts `cairn serve` on a fresh data directory, then measures the time from a
# promotion or rollback to the swap in LiveModels following Production (p50/p99 over every follower of every
# transition, and of the slowest follower per transition), and the server's memory and threads with open event streams.
# Usage: bench/live.sh
# Environment: LIVE_FOLLOWERS (default 100), LIVE_TRANSITIONS (default 100), LIVE_STREAMS (default 1000),
#              BENCH_DIR (scratch, default /var/tmp), BENCH_HEAP (server -Xmx, default 512m),
#              CAIRN_TARGET (build folder, default target).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CAIRN_TARGET:-target}
heap=${BENCH_HEAP:-512m}
jar="$root/cairn-cli/$target/cairn.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -Dcairn.target="$target" -DskipTests -pl cairn-cli -am package)
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cairn-live-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

java -Xmx"$heap" -jar "$jar" serve --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$url/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
echo "## machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), server -Xmx$heap," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The followers and the streams run in one client JVM on the same machine as the server.
java -Xmx1g -Djava.util.logging.config.file=/dev/null -cp "$jar" "$root/bench/LiveBench.java" "$url" "$server" \
    "${LIVE_FOLLOWERS:-100}" "${LIVE_TRANSITIONS:-100}" "${LIVE_STREAMS:-1000}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
