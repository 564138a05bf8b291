#!/usr/bin/env bash
# The shared state of several nodes (issue 20): admissions per second one node gets from Redis
# (each call's lease and rate in one atomic script, and its release) and the latency one admission
# adds to a call's set-up, with 64 in flight as on a busy node. Starts its own redis-server on
# 127.0.0.1:26399 (Debian's redis-server; ./test.sh installs it), about 20 seconds.
# Prints one summary line. Usage, from the repository root:
#   mvn -q test-compile && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt && bench/shared-state.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/test-classes/org/opentrunk/cluster/SharedAdmissionBenchmark.class ] || [ ! -f target/cp.txt ]; then
  echo "bench/shared-state.sh: run 'mvn -q test-compile && mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt' first" >&2
  exit 1
fi
dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port 26399 --save "" --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
redis=$!
trap 'kill $redis 2>/dev/null; wait $redis 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p 26399 ping >/dev/null 2>&1 && break
  sleep 0.1
done
java -Xms256m -Xmx512m -cp "target/classes:target/test-classes:$(cat target/cp.txt)" \
  org.opentrunk.cluster.SharedAdmissionBenchmark redis://127.0.0.1:26399 "${1:-50000}" "${2:-64}" 2>/dev/null
