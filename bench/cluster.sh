#!/usr/bin/env bash
# OpenTrunk cluster benchmark (issue 20), `bench/run.sh cluster`: the Kamailio front and 2 nodes
# on one PostgreSQL (deploy/local-cluster.sh), SIPp customer PBX (127.0.1.20) and carrier
# (127.0.1.30). In the same run, the same calls (IP auth, UDP, 100 ms) at the same rates:
#   direct   PBX -> node 1 -> front -> carrier   (what one node does; its carrier leg still goes
#                                                  out through the front, as every node's does)
#   front    PBX -> front -> node 1 or 2 -> front -> carrier
# and prints per rate the calls/s achieved and the INVITE->200 time (SIPp's response time) of
# both, so the difference is what the front's extra hop costs. On a 2-core machine two nodes
# cannot add capacity (they share the cores); docs/cluster.md has the capacity model.
#
# Usage, from the repository root, in a private network namespace:
#   unshare -n sh -c 'ip link set lo up && bench/run.sh cluster'
# Needs what deploy/local-cluster.sh needs (a built WAR and Liberty runtime, kamailio, postgresql,
# redis-server) and SIPp. Knobs: BENCH_CLUSTER_RATES="100 200 300", BENCH_STEP_SECONDS=10.
# Output: target/bench-cluster/ (SIPp statistics, response times, the cluster's logs).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

readonly BUDGET_SECONDS=900
readonly PBX=127.0.1.20 CARRIER=127.0.1.30 CARRIER_PORT=15060 NODE1=127.0.1.1
readonly ADMIN_PASSWORD=bench-admin-secret TECH_PREFIX=12345678 CALLED=+12066418000
read -r -a RATES <<< "${BENCH_CLUSTER_RATES:-100 200 300}"
readonly STEP_SECONDS=${BENCH_STEP_SECONDS:-10} CALL_MS=100
readonly OUT=$ROOT/target/bench-cluster
readonly UAC=$ROOT/src/test/sipp/uac-via-proxy-caller-hangs-up.xml
readonly UAS=$ROOT/src/test/sipp/uas-answers-behind-front.xml
export OT_CLUSTER_DIR=$OUT/cluster OT_NODES=2 OT_FRONT_HOST=127.0.0.10 OT_FRONT_PORT=5060
export OT_ADMIN_PASSWORD=$ADMIN_PASSWORD OT_SIP_DOMAIN=bench.test OT_CARRIER_PROBE_INTERVAL=0
export OT_FRAUD_GUARD_CALLS_PER_MINUTE=0 OT_MAX_INVITES_IN_PROGRESS=1000000 OT_MAX_INVITES_PER_SOURCE=0
export OT_AUTH_MAX_FAILURES=1000000
readonly CLUSTER=$ROOT/deploy/local-cluster.sh
WATCHDOG=

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
summary() { printf '%s\n' "$*" >> "$OUT/summary.txt"; log "$*"; }
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for f in "$OUT"/*/carrier.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  if [ -n "$WATCHDOG" ]; then kill "$WATCHDOG" 2>/dev/null || true; fi
  "$CLUSTER" stop >&2 || true
  [ -f "$OUT/summary.txt" ] && { printf '\n'; cat "$OUT/summary.txt"; }
  exit "$rc"
}
rm -rf "$OUT"; mkdir -p "$OUT"
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
# The watchdog ends the run (and the trap stops everything) when the budget is spent.
( trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  sleep "$BUDGET_SECONDS" > /dev/null & sleeper=$!
  wait $sleeper; log "time budget of ${BUDGET_SECONDS}s spent"; kill -TERM $$ ) &
WATCHDOG=$!

log "starting the cluster (deploy/local-cluster.sh)"
"$CLUSTER" start >&2
api() { curl -s -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' "$@"; }
api -o /dev/null "http://$NODE1:9081/api/v1/customers" -d "{\"name\":\"Bench IP PBX\",\"techPrefix\":\"$TECH_PREFIX\",\"ips\":[\"$PBX\"],\"maxChannels\":100000,\"maxCps\":10000}"
api -o /dev/null "http://$NODE1:9081/api/v1/carriers" -d "{\"name\":\"bench-carrier\",\"host\":\"$CARRIER\",\"port\":$CARRIER_PORT,\"priority\":0}"
# Node 2 sees what node 1 wrote after a restart, until provisioning reaches every node by itself.
"$CLUSTER" node-stop 2 >&2; "$CLUSTER" node-start 2 >&2

stat_last() { awk -F';' -v f="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==f) c=i} END{if(c) print $c+0; else print -1}' "$1" 2>/dev/null || echo -1; }
percentiles() { awk -F';' 'NR>1 && $2!=""{print $2}' "$@" | sort -n | awk '
  function at(q,  i) { i = int(NR * q); if (i < 1) i = 1; return v[i] }
  {v[NR]=$1} END{ if(NR==0){print "no samples"; exit}
    printf "p50=%s p90=%s p99=%s max=%s samples=%d", at(0.50), at(0.90), at(0.99), v[NR], NR}'; }

step() { # name rate target(host:port)
  local name=$1 rate=$2 target=$3 calls=$(($2 * STEP_SECONDS))
  mkdir -p "$OUT/$name"
  ( cd "$OUT/$name"
    sipp -sf "$UAS" -i "$CARRIER" -mi "$CARRIER" -p "$CARRIER_PORT" -t u1 -m "$calls" -nostdin -buff_size 4194304 \
      -trace_stat -stf carrier-stat.csv -fd 1 > carrier.log 2>&1 &
    echo $! > carrier.pid
    sleep 0.3
    start=$(date +%s%N)
    sipp -sf "$UAC" -i "$PBX" -mi "$PBX" -p 25070 -t u1 -s "$TECH_PREFIX*$CALLED" -r "$rate" -m "$calls" -l $((calls + 10)) \
      -d "$CALL_MS" -timeout $((STEP_SECONDS + 30))s -timeout_error -nostdin -buff_size 4194304 \
      -trace_stat -stf customer-stat.csv -fd 1 -trace_rtt -rtt_freq 1 "$target" > customer.log 2>&1 || true
    end=$(date +%s%N)
    for _ in $(seq 100); do kill -0 "$(cat carrier.pid)" 2>/dev/null || break; sleep 0.2; done
    kill "$(cat carrier.pid)" 2>/dev/null || true
    echo $(( (end - start) / 1000000 )) > elapsed_ms )
  local ok failed ms
  ok=$(stat_last "$OUT/$name/customer-stat.csv" 'SuccessfulCall(C)')
  failed=$(stat_last "$OUT/$name/customer-stat.csv" 'FailedCall(C)')
  ms=$(cat "$OUT/$name/elapsed_ms")
  # calls/s: successful calls over the generating time (calls/rate s) plus the last call's length
  summary "opentrunk cluster $name rate=$rate ok=$ok failed=$failed achieved_cps=$(awk -v o="$ok" -v ms="$ms" -v d="$CALL_MS" 'BEGIN{printf "%d", o*1000/(ms-d)}') invite_200_ms: $(percentiles "$OUT/$name"/*_rtt.csv)"
}

summary "opentrunk cluster bench at $(git rev-parse --short HEAD) ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
step warmup-front 100 "127.0.0.10:5060" # JIT of both nodes and the front's first calls; not compared
for rate in "${RATES[@]}"; do
  step "direct-$rate" "$rate" "$NODE1:5060"
  step "front-$rate" "$rate" "127.0.0.10:5060"
done
