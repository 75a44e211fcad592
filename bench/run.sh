#!/usr/bin/env bash
# Cairn benchmark: starts a server on a fresh data directory and measures
#   (a) resolve requests/s and p50/p99 latency, 100 models x 20 versions, 64 keep-alive connections (wrk)
#   (b) registrations/s of versions with a 1 KiB file (draft, upload, commit)
#   (c) upload and download throughput of a 1 GiB and a 4 GiB file, with the server's peak heap and RSS,
#       next to the same disk's durable write speed (dd conv=fsync) measured in the same run.
#   (d) MLflow-API scenarios (bench/MlflowBench.java): get-latest-versions, get version by alias, tag-filtered version
#       search, create model version, log-batch.
# Usage: bench/run.sh            (needs wrk: apt-get install -y wrk)
# Environment: BENCH_DIR (scratch directory on the disk to measure, default /var/tmp), BENCH_SIZES (default "1 4", GiB),
#              BENCH_SECONDS (resolve duration, default 30), BENCH_HEAP (server -Xmx, default 512m),
#              BENCH_AUTH=1 (the server authenticates every request: CAIRN_ADMIN_TOKEN, sent by every client).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sizes=${BENCH_SIZES:-"1 4"}
seconds=${BENCH_SECONDS:-30}
heap=${BENCH_HEAP:-512m}
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }

jar="$root/cairn-cli/target/cairn.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -DskipTests package)
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/cairn-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
server=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${BENCH_AUTH:-0}" = 1 ]; then
  export CAIRN_ADMIN_TOKEN="bench-$(od -An -tx8 -N16 /dev/urandom | tr -d ' \n')"
fi
java -Xmx"$heap" -Xlog:gc:file="$work/gc.log" -jar "$jar" serve --port "$port" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$url/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }
auth=()
if [ "${BENCH_AUTH:-0}" = 1 ]; then # clients use a stored user's token, as they would in production
  CAIRN_TOKEN=$(curl -sf -X POST "$url/api/v1/users" -H "Authorization: Bearer $CAIRN_ADMIN_TOKEN" \
      -H 'Content-Type: application/json' -d '{"name":"bench","role":"admin"}' \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"]["token"])')
  export CAIRN_TOKEN
  auth=(-H "Authorization: Bearer $CAIRN_TOKEN")
fi

echo "## machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), server -Xmx$heap, authentication ${BENCH_AUTH:-0}"

echo "## (b) registrations"
java "$root/bench/RegisterBench.java" "$url" 100 20 16

echo "## (a) resolve"
wrk -t2 -c64 -d10s -s "$root/bench/resolve.lua" "$url" >/dev/null # warm-up: JIT compilation, caches
wrk -t2 -c64 -d"${seconds}s" --latency -s "$root/bench/resolve.lua" "$url" | tee "$work/wrk.txt"

echo "## (d) MLflow API (the same program runs against any MLflow server: java bench/MlflowBench.java URL)"
java "$root/bench/MlflowBench.java" "$url" "${BENCH_MLFLOW_SECONDS:-10}" 16 200

# Peak RSS by sampling /proc; peak heap from the GC log's "before" figures (heap in use when each GC started).
sample_rss() { local max=0; while :; do
    rss=$(awk '/VmRSS/{print $2}' /proc/"$server"/status 2>/dev/null || echo 0)
    [ "$rss" -gt "$max" ] && max=$rss && echo "$max" >"$work/rss.max"; sleep 0.1; done; }
peak_heap_since() { tail -c +"$1" "$work/gc.log" | grep -oE '[0-9]+M->' | sed 's/M->//' | sort -n | tail -1; }

echo "## (c) large files"
printf '| size | dd conv=fsync MB/s | upload MB/s | upload / dd | download MB/s | peak heap MiB | peak RSS MiB |\n|---|---|---|---|---|---|---|\n' >"$work/large.md"
for gib in $sizes; do
  file="$work/file-$gib"
  head -c "$((gib * 1024 * 1024 * 1024))" /dev/urandom >"$file"
  sha=$(sha256sum "$file" | cut -d' ' -f1)
  bytes=$(stat -c %s "$file")
  start=$(date +%s.%N); dd if="$file" of="$work/data/dd.bin" bs=1M conv=fsync status=none; end=$(date +%s.%N)
  dd_mbs=$(echo "$bytes / ($end - $start) / 1000000" | bc -l); rm -f "$work/data/dd.bin"

  jcmd "$server" GC.run >/dev/null
  gc_offset=$(($(stat -c %s "$work/gc.log") + 1))
  echo 0 >"$work/rss.max"; sample_rss & sampler=$!
  model="large-$gib"
  version=$(curl -sf "${auth[@]}" -X POST "$url/api/v1/models/$model/versions" -H 'Content-Type: application/json' \
      -d '{"create_model":true}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
  up=$(curl -sf "${auth[@]}" -o /dev/null -w '%{time_total}' -T "$file" -H "X-Content-Sha256: $sha" \
      "$url/api/v1/models/$model/versions/$version/files/model.bin")
  curl -sf "${auth[@]}" -o /dev/null -X POST "$url/api/v1/models/$model/versions/$version/commit"
  file_url="$url/api/v1/models/$model/versions/$version/files/model.bin"
  curl -sf "${auth[@]}" -o /dev/null "$file_url" # first read warms the page cache: the figure below is of a cached file
  down=$(curl -sf "${auth[@]}" -o /dev/null -w '%{speed_download}' "$file_url")
  kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=""
  heap_mib=$(peak_heap_since "$gc_offset"); heap_mib=${heap_mib:-"<1 GC cycle"}
  rss_mib=$(( $(cat "$work/rss.max") / 1024 ))
  up_mbs=$(echo "$bytes / $up / 1000000" | bc -l)
  down_mbs=$(echo "$down / 1000000" | bc -l)
  printf '| %s GiB | %.0f | %.0f | %.0f %% | %.0f | %s | %s |\n' "$gib" "$dd_mbs" "$up_mbs" \
      "$(echo "100 * $up_mbs / $dd_mbs" | bc -l)" "$down_mbs" "$heap_mib" "$rss_mib" >>"$work/large.md"
  rm -f "$file"
done
cat "$work/large.md"
