#!/usr/bin/env bash
# Cairn at scale on PostgreSQL: 10,000 models and 1,000,000 versions generated through the metadata store, then
# registrations, resolve (in process and over HTTP), list of a 10,000-version model (first and 90th page) and version
# search by tag. See bench/ScaleBench.java and the "Scale (PostgreSQL)" section of BENCHMARKS.md.
# Usage: bench/scale.sh
# Environment: SCALE_DB_URL (JDBC URL of an empty PostgreSQL database; default: an embedded PostgreSQL in a temp dir),
#              SCALE_MODELS, SCALE_VERSIONS, SCALE_BIG, SCALE_WRITERS (defaults 10000, 1000000, 10000, 3),
#              SCALE_HEAP (default 2g), CAIRN_TARGET (build folder, default target).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CAIRN_TARGET:-target}
classpath="$root/cairn-it/$target/scale-classpath.txt"
cd "$root"
# Builds cairn.jar and the modules the benchmark links against, then writes cairn-it's test classpath (the store,
# the service, the PostgreSQL driver and embedded PostgreSQL). Every module of the reactor writes the file in turn;
# cairn-it comes last, so its classpath is the one left.
./mvnw -q -B -Dcairn.target="$target" -DskipTests -pl cairn-it -am package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
exec java -Xmx"${SCALE_HEAP:-2g}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat "$classpath")" \
    "$root/bench/ScaleBench.java" "$root/cairn-cli/$target/cairn.jar"
