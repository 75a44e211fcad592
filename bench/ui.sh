#!/usr/bin/env bash
# Web-UI render times (bench/UiBench.java): starts `cairn serve --demo` on a fresh data directory, measures every page
# of the demo data, then registers one model with BENCH_UI_VERSIONS versions (default 10000) and measures its pages.
# Usage: bench/ui.sh        Environment: BENCH_DIR (scratch, default /var/tmp), BENCH_UI_VERSIONS, BENCH_UI_REQUESTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/cairn-cli/target/cairn.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cairn-ui-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

java -Xmx512m -jar "$jar" serve --demo --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 150); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$url/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
echo "$(nproc) cores, $(java -version 2>&1 | head -1), server -Xmx512m"
java "$root/bench/UiBench.java" "$url" "${BENCH_UI_VERSIONS:-10000}" "${BENCH_UI_REQUESTS:-100}"
