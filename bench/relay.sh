#!/usr/bin/env bash
# Media relay benchmark (issue #7): packets per second through one relay thread, and how many
# concurrent anchored G.711 calls it carries with less than 0.1% loss. Loopback only (127.0.0.1,
# .2, .4), about 15 seconds, at most 2500 calls (ports 20000-31999). Prints one summary line.
# Usage, from the repository root:  mvn -q test-compile && bench/relay.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/test-classes/org/opentrunk/media/RelayBenchmark.class ]; then
  echo "bench/relay.sh: run 'mvn -q test-compile' first" >&2
  exit 1
fi
# The media module is plain Java: the project's own classes are the whole classpath.
exec java -Xms256m -Xmx512m -cp target/classes:target/test-classes org.opentrunk.media.RelayBenchmark "$@"
