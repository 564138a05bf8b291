#!/usr/bin/env bash
# OpenTrunk call benchmark (issue #11): calls per second, concurrent calls and INVITE->200 latency
# of the outbound path, SIPp customer PBX (127.0.0.2) -> OpenTrunk (127.0.0.1) -> SIPp carrier
# (127.0.0.3), everything on loopback. One command, at most 14 minutes, prints one summary line
# per figure ("opentrunk outbound ip-auth udp max_cps=NNN") and leaves no process behind.
#
# Usage, from the repository root, on a machine where nobody else uses the ports below:
#   bench/run.sh
#   bench/run.sh cluster   # the Kamailio front and 2 nodes vs one node (bench/cluster.sh, issue 20)
# or, on a shared machine, in a private network namespace (its own loopback, no port clashes):
#   unshare -n sh -c 'ip link set lo up && bench/run.sh'
#
# Needs Java 17, Maven (the Liberty runtime is installed from the local repository, offline),
# SIPp (Debian: sip-tester) and curl. Output: target/bench/ (SIPp statistics, server logs, JFR).
# Knobs (environment): BENCH_RATES="200 400 ...", BENCH_STEP_SECONDS=15, BENCH_CONCURRENT_CALLS=20000,
# BENCH_JVM_OPTIONS (extra JVM options, one per line), BENCH_SERVER_ENV (extra server.env lines,
# e.g. OT_LADDER_CALLS=0), BENCH_JFR=1 (record a 30 s flight recording
# during the first UDP sweep; BENCH_JFR=digest: during the digest sweep), BENCH_HISTO=1 (class
# histograms after the latency step and of the held calls), BENCH_SKIP="tcp digest
# concurrent latency" (phases to leave out).
set -euo pipefail
export LC_ALL=C # decimal points in the figures awk prints
cd "$(dirname "$0")/.."
ROOT=$PWD
# Cluster mode (issue 20): the front and 2 nodes, through the front vs one node directly (bench/cluster.sh).
if [ "${1:-}" = cluster ] || [ "${BENCH_MODE:-}" = cluster ]; then
  exec bench/cluster.sh
fi

# --- settings -------------------------------------------------------------------------------------
readonly BUDGET_SECONDS=840                      # hard limit of the whole run (issue 23: room for TCP to its maximum)
readonly TRUNK=127.0.0.1 PBX=127.0.0.2 CARRIER=127.0.0.3 DIGEST_PBX=127.0.0.4
readonly SIP_PORT=${BENCH_SIP_PORT:-25060} HTTP_PORT=${BENCH_HTTP_PORT:-29080}
# The SIPps' ports: they move on after a failed step (see after_step).
CARRIER_PORT=${BENCH_CARRIER_PORT:-25062} CUSTOMER_PORT=${BENCH_CUSTOMER_PORT:-25070}
readonly ADMIN_PASSWORD=bench-admin-secret
readonly IP_TECH_PREFIX=12345678 DIGEST_TECH_PREFIX=87654321 DIGEST_USER=bench-pbx DIGEST_PASSWORD=bench-secret-1
readonly CALLED=+12066418000
# No 100/s step: the warm-up ran at 200/s. 550 and 850 between the issue's steps: digest's share of
# the IP-auth rate read off a grid of 400/700 can only be 57% or 100%; 1250 for the same reason
# once IP auth reached 1,500 (issue 23: digest >= 80% of it).
read -r -a RATES <<< "${BENCH_RATES:-200 400 550 700 850 1000 1250 1500 2000}"
readonly STEP_SECONDS=${BENCH_STEP_SECONDS:-15}   # calls generated per sweep step: rate x this
readonly CALL_MS=100                             # short calls: answered, held 100 ms, hung up
readonly MIN_ACHIEVED_PERCENT=97                 # a step passes at >= 97% of its target rate ...
                                                 # ... and zero failed calls on both SIPp sides
readonly CONCURRENT_CALLS=${BENCH_CONCURRENT_CALLS:-20000}
readonly SKIP=" ${BENCH_SKIP:-} "
readonly SERVER=bench
readonly WLP=$ROOT/target/liberty/wlp
readonly SERVER_DIR=$WLP/usr/servers/$SERVER
readonly OUT=$ROOT/target/bench
readonly UAC=$ROOT/src/test/sipp/uac-caller-hangs-up.xml
readonly UAC_DIGEST=$ROOT/bench/sipp/uac-digest.xml
readonly UAS=$ROOT/src/test/sipp/uas-answers.xml
readonly API=http://$TRUNK:$HTTP_PORT/api/v1
readonly CLK_TCK=$(getconf CLK_TCK)

SIPP_PIDS=()
SERVER_PID=
WATCHDOG_PID=
SUMMARY=()

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
summary() { SUMMARY+=("$*"); printf '%s\n' "$*" >> "$OUT/summary.txt"; log "$*"; }
skipped() { [[ $SKIP == *" $1 "* ]]; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${SIPP_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$SERVER_PID" ]; then
    log "stopping OpenTrunk"
    timeout 60 "$WLP/bin/server" stop "$SERVER" > "$OUT/server-stop.log" 2>&1 || true
    if kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
  fi
  for pid in "${SIPP_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ -n "$WATCHDOG_PID" ]; then kill "$WATCHDOG_PID" 2>/dev/null || true; fi
  if [ ${#SUMMARY[@]} -gt 0 ]; then
    printf '\n'; printf '%s\n' "${SUMMARY[@]}"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --- build and start OpenTrunk --------------------------------------------------------------------
for tool in sipp curl java jcmd; do
  command -v "$tool" > /dev/null || { echo "bench/run.sh: $tool not found (SIPp: apt-get install sip-tester)" >&2; exit 1; }
done
if curl -s -o /dev/null --max-time 1 "http://$TRUNK:$HTTP_PORT/"; then
  echo "bench/run.sh: something already listens on $TRUNK:$HTTP_PORT; run in a private network namespace (see above)" >&2
  exit 1
fi
rm -rf "$OUT"; mkdir -p "$OUT"
# The watchdog ends the run (and the trap stops everything) when the budget is spent.
( trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  sleep "$BUDGET_SECONDS" > /dev/null & sleeper=$!
  wait $sleeper; log "time budget of ${BUDGET_SECONDS}s spent"; kill -TERM $$ ) &
WATCHDOG_PID=$!

if [ ! -f target/opentrunk.war ] || [ -n "$(find src/main pom.xml -newer target/opentrunk.war -print -quit)" ]; then
  log "building the WAR"
  mvn -q -B -o package -DskipTests
fi
if [ ! -x "$WLP/bin/server" ]; then
  log "installing the Liberty runtime"
  mvn -q -B -o liberty:install-server
fi

# A Liberty server made from the production configuration, as the tests' LibertyServer does.
rm -rf "$SERVER_DIR"
mkdir -p "$SERVER_DIR/apps" "$SERVER_DIR/jdbc"
cp src/main/liberty/config/* "$SERVER_DIR/"
# BENCH_JVM_OPTIONS: extra JVM options, one per line, for experiments (e.g. GC settings)
[ -n "${BENCH_JVM_OPTIONS:-}" ] && printf '%s\n' "$BENCH_JVM_OPTIONS" >> "$SERVER_DIR/jvm.options"
cp target/opentrunk.war "$SERVER_DIR/apps/"
H2_VERSION=$(sed -n 's:.*<h2.version>\(.*\)</h2.version>.*:\1:p' pom.xml)
H2_JAR=${MAVEN_REPO:-$HOME/.m2/repository}/com/h2database/h2/$H2_VERSION/h2-$H2_VERSION.jar
[ -f "$H2_JAR" ] || mvn -q -B -o dependency:copy -Dartifact="com.h2database:h2:$H2_VERSION" -DoutputDirectory="$SERVER_DIR/jdbc"
[ -f "$H2_JAR" ] && cp "$H2_JAR" "$SERVER_DIR/jdbc/"
# Benchmark settings: loopback, no OPTIONS probes (the SIPp carrier would take them for calls), no
# fraud guard (every call goes to one country), overload and brute-force guards far above the rates,
# MD5-only digest challenges (what SIPp 3.6 can answer).
cat > "$SERVER_DIR/server.env" <<EOF
OT_SIP_HOST=$TRUNK
OT_SIP_PORT=$SIP_PORT
OT_HTTP_HOST=$TRUNK
OT_HTTP_PORT=$HTTP_PORT
OT_SIP_DOMAIN=bench.test
OT_ADMIN_PASSWORD=$ADMIN_PASSWORD
OT_CARRIER_PROBE_INTERVAL=0
OT_FRAUD_GUARD_CALLS_PER_MINUTE=0
OT_MAX_INVITES_IN_PROGRESS=1000000
OT_MAX_INVITES_PER_SOURCE=0
OT_AUTH_MAX_FAILURES=1000000
OT_DIGEST_ALGORITHMS=MD5
$(grep '^RES_OPTIONS=' src/main/liberty/config/server.env)
${BENCH_SERVER_ENV:-}
EOF

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "starting OpenTrunk (server '$SERVER', SIP $TRUNK:$SIP_PORT, HTTP $HTTP_PORT)"
"$WLP/bin/server" start "$SERVER" > "$OUT/server-start.log" 2>&1 || { cat "$OUT/server-start.log" >&2; exit 1; }
SERVER_PID=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
api() { curl -s -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' "$@"; }
for _ in $(seq 1 120); do
  [ "$(api -o /dev/null -w '%{http_code}' "$API/carriers")" = 200 ] && grep -q CWWKZ0001I "$SERVER_DIR/logs/messages.log" && break
  sleep 1
done
[ "$(api -o /dev/null -w '%{http_code}' "$API/carriers")" = 200 ] || { echo "bench/run.sh: OpenTrunk did not start, see $SERVER_DIR/logs" >&2; exit 1; }
log "OpenTrunk is up (pid $SERVER_PID)"

# --- provisioning through the REST API ------------------------------------------------------------
post() { # path json -> id
  local reply; reply=$(api -w '\n%{http_code}' "$API/$1" -d "$2")
  [ "${reply##*$'\n'}" = 201 ] || { echo "bench/run.sh: POST $1 failed: $reply" >&2; exit 1; }
  sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<< "${reply%$'\n'*}" | head -1
}
post customers "{\"name\":\"Bench IP PBX\",\"techPrefix\":\"$IP_TECH_PREFIX\",\"ips\":[\"$PBX\"],\"maxChannels\":100000,\"maxCps\":10000}" > /dev/null
post customers "{\"name\":\"Bench digest PBX\",\"techPrefix\":\"$DIGEST_TECH_PREFIX\",\"username\":\"$DIGEST_USER\",\"password\":\"$DIGEST_PASSWORD\",\"maxChannels\":100000,\"maxCps\":10000}" > /dev/null
CARRIER_ID=$(post carriers "{\"name\":\"bench-carrier\",\"host\":\"$CARRIER\",\"port\":$CARRIER_PORT,\"transport\":\"udp\",\"priority\":0}")
CARRIER_TRANSPORT=udp
put_carrier() { # transport port
  local code; code=$(api -o /dev/null -w '%{http_code}' -X PUT "$API/carriers/$CARRIER_ID" \
    -d "{\"name\":\"bench-carrier\",\"host\":\"$CARRIER\",\"port\":$2,\"transport\":\"$1\",\"priority\":0}") || true
  [ "$code" = 200 ] || { echo "bench/run.sh: carrier $1 port $2: HTTP $code" >&2; exit 1; }
  CARRIER_TRANSPORT=$1 CARRIER_PORT=$2
  sleep 1 # the configuration snapshot is republished asynchronously
}
carrier_transport() { put_carrier "$1" "$CARRIER_PORT"; }
log "provisioned an IP-auth customer ($PBX, prefix $IP_TECH_PREFIX), a digest customer and a carrier ($CARRIER)"

# --- measuring ------------------------------------------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }
machine_all_ticks() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8; exit}' /proc/stat; }
# Time the hypervisor gave this virtual machine's CPUs to others: a step with steal measured a
# smaller machine.
machine_steal_ticks() { awk '/^cpu /{print $9; exit}' /proc/stat; }
stat_last() { # csv field -> that column of the last line
  awk -F';' -v f="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==f) c=i} END{if(c) print $c+0; else print -1}' "$1" 2>/dev/null || echo -1
}
achieved_rate() {
  [ -f "$1" ] || { echo 0; return; } # customer stat csv, calls in the step -> calls/s while generating (the last
  # periodic line before every call was created: cumulative outgoing calls / elapsed seconds)
  awk -F';' -v total="$2" 'NR==1{for(i=1;i<=NF;i++){if($i=="OutgoingCall(C)")o=i; if($i=="ElapsedTime(C)")e=i}; next}
    { split($e,t,":"); s=t[1]*3600+t[2]*60+t[3]+t[4]/1e6; if($o<total && s>0) r=$o/s; if($o>=total && !r && s>0) r=$o/s }
    END{printf "%d\n", r}' "$1"
}

# Datagrams the kernel dropped because a socket's receive buffer was full: OpenTrunk's SIP socket
# (the "drops" column for its port; Liberty binds it as an IPv6 socket, so /proc/net/udp6) and every
# UDP socket here (/proc/net/snmp; the rest are the SIPps'). Each drop costs a retransmission 500 ms
# later.
trunk_udp_drops() {
  awk -v p="$(printf ':%04X' "$SIP_PORT")" '$2 ~ p"$" {d += $NF} END {print d + 0}' /proc/net/udp /proc/net/udp6
}
all_udp_drops() { # the "Udp:" header line names the columns, the next "Udp:" line holds the counts
  awk '/^Udp:/ {n++; if (n == 1) for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; if (n == 2) print $c + 0}' /proc/net/snmp
}

start_sipp() { # name, sipp arguments...
  local name=$1; shift
  sipp "$@" -nostdin -buff_size 4194304 -trace_stat -stf "$OUT/$name-stat.csv" -fd 1 \
    -trace_err -error_file "$OUT/$name-errors.log" > "$OUT/$name-console.log" 2>&1 &
  LAST_SIPP=$!
  SIPP_PIDS+=("$LAST_SIPP")
}
await_pid() { # pid, seconds: waits, kills it after that long; returns its exit code
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null; sleep 1; kill -9 "$pid" 2>/dev/null || true; fi
  local rc=0; wait "$pid" 2>/dev/null || rc=$?
  return $rc
}

# One step: `calls` calls at `rate` from a SIPp customer through OpenTrunk to a SIPp carrier.
# Sets STEP_OK (1 = clean), STEP_ACHIEVED, STEP_CPU (the split) and the SIPp pids for the caller.
run_step() { # name transport(u1|t1) rate calls call_ms customer_scenario bind dialled [extra customer args...]
  local name=$1 transport=$2 rate=$3 calls=$4 call_ms=$5 scenario=$6 bind=$7 dialled=$8; shift 8
  local limit=$((calls + 10)) wait_s=$((calls / rate + call_ms / 1000 + 20))
  local trunk_drops0 all_drops0
  trunk_drops0=$(trunk_udp_drops); all_drops0=$(all_udp_drops)
  start_sipp "$name-carrier" -sf "$UAS" -i "$CARRIER" -mi "$CARRIER" -p "$CARRIER_PORT" -t "$transport" -m "$calls"
  local carrier=$LAST_SIPP
  sleep 0.3
  start_sipp "$name-customer" -sf "$scenario" -i "$bind" -mi "$bind" -p "$CUSTOMER_PORT" -t "$transport" -s "$dialled" \
    -r "$rate" -m "$calls" -l "$limit" -d "$call_ms" -timeout "${wait_s}s" -timeout_error "$@" "$TRUNK:$SIP_PORT"
  local customer=$LAST_SIPP
  STEP_CUSTOMER_PID=$customer
  # CPU split over the generating part of the step (seconds 1 .. calls/rate).
  sleep 1
  local t0=$(date +%s%N) o0=$(cpu_ticks "$SERVER_PID") c0=$(cpu_ticks "$customer") g0=$(cpu_ticks "$carrier")
  local b0=$(machine_busy_ticks) a0=$(machine_all_ticks) s0=$(machine_steal_ticks)
  sleep $(( calls / rate > 2 ? calls / rate - 1 : 1 ))
  local t1=$(date +%s%N) o1=$(cpu_ticks "$SERVER_PID") c1=$(cpu_ticks "$customer") g1=$(cpu_ticks "$carrier")
  local b1=$(machine_busy_ticks) a1=$(machine_all_ticks) s1=$(machine_steal_ticks)
  local elapsed_ms=$(( (t1 - t0) / 1000000 ))
  ss -uamnp > "$OUT/$name-udp-sockets.txt" 2>&1 || true # per socket: receive buffer (rb) and drops (d)
  local ncpu; ncpu=$(nproc)
  STEP_CPU=$(awk -v o=$((o1 - o0)) -v c=$((c1 - c0)) -v g=$((g1 - g0)) -v ms="$elapsed_ms" -v hz="$CLK_TCK" \
    -v b=$((b1 - b0)) -v a=$((a1 - a0)) -v st=$((s1 - s0)) -v n="$ncpu" \
    -v rate="$rate" \
    'BEGIN{k=100000/(hz*ms); m=n*100*b/a; printf "opentrunk=%d%% sipp_customer=%d%% sipp_carrier=%d%% machine=%d%%/%d%% steal=%d%% opentrunk_cpu_ms_per_call=%.2f",
      o*k, c*k, g*k, m, n*100, n*100*st/(a+st), o*k*10/rate}')
  local crc=0 grc=0
  await_pid "$customer" "$wait_s" || crc=$?
  local carrier_wait=30 # its last BYEs come after the customer's
  [ "$(stat_last "$OUT/$name-customer-stat.csv" 'SuccessfulCall(C)')" -gt 0 ] || carrier_wait=3
  await_pid "$carrier" "$carrier_wait" || grc=$?
  local cs cf gs gf
  cs=$(stat_last "$OUT/$name-customer-stat.csv" 'SuccessfulCall(C)'); cf=$(stat_last "$OUT/$name-customer-stat.csv" 'FailedCall(C)')
  gs=$(stat_last "$OUT/$name-carrier-stat.csv" 'SuccessfulCall(C)'); gf=$(stat_last "$OUT/$name-carrier-stat.csv" 'FailedCall(C)')
  STEP_ACHIEVED=$(achieved_rate "$OUT/$name-customer-stat.csv" "$calls")
  STEP_RETRANS=$(stat_last "$OUT/$name-customer-stat.csv" 'Retransmissions(C)')
  local trunk_drops=$(( $(trunk_udp_drops) - trunk_drops0 )) all_drops=$(( $(all_udp_drops) - all_drops0 ))
  local drops="udp_drops opentrunk=$trunk_drops sipp=$((all_drops - trunk_drops))"
  STEP_OK=0
  if [ $crc -eq 0 ] && [ $grc -eq 0 ] && [ "$cs" -eq "$calls" ] && [ "$cf" -eq 0 ] && [ "$gs" -eq "$calls" ] && [ "$gf" -eq 0 ] \
     && [ $((STEP_ACHIEVED * 100)) -ge $((rate * MIN_ACHIEVED_PERCENT)) ]; then
    STEP_OK=1
  fi
  log "  $name: target $rate cps, achieved $STEP_ACHIEVED cps; customer $cs ok/$cf failed (exit $crc, $STEP_RETRANS retransmissions), carrier $gs ok/$gf failed (exit $grc); $drops; cpu $STEP_CPU -> $([ $STEP_OK = 1 ] && echo clean || echo FAILED)"
  echo "$name rate=$rate achieved=$STEP_ACHIEVED customer_ok=$cs customer_failed=$cf carrier_ok=$gs carrier_failed=$gf retrans=$STEP_RETRANS $drops clean=$STEP_OK $STEP_CPU" >> "$OUT/steps.txt"
}

count_in_calls() { api "$API/calls" | { grep -o "\"$1\"" || true; } | wc -l; } # grep finds none: 0, not an error
live_calls() { count_in_calls customerCallId; }
# A failed step leaves calls behind that end minutes later (answered ones whose BYE was lost, ringing
# ones Liberty cancels after 3 minutes). Their late CANCELs and BYEs would reach a later step's
# SIPps, and a SIPp carrier counts each as a call of its own, stopping that many calls short of its
# -m (bench/results.md). So after a failed step the SIPps move to fresh ports.
LEFTOVER_CALLS=0
after_step() { # waits until only the failed steps' calls are left, so a step does not inherit the last one's tail
  local live
  for _ in $(seq 1 20); do # at most 20 s (all of them after a failed step: time for the server to settle)
    live=$(live_calls)
    [ "$live" -le "$LEFTOVER_CALLS" ] && { LEFTOVER_CALLS=$live; break; } # leftovers end too
    sleep 1
  done
  if [ "${STEP_OK:-1}" != 1 ]; then
    LEFTOVER_CALLS=$live
    CUSTOMER_PORT=$((CUSTOMER_PORT + 2))
    put_carrier "$CARRIER_TRANSPORT" $((CARRIER_PORT + 2))
    log "  $LEFTOVER_CALLS calls left over; from now on the carrier listens on $CARRIER_PORT, the customers send from $CUSTOMER_PORT"
  fi
}

# Sweeps the rates (from the first one >= from) until a step fails; sets SWEEP_MAX and SWEEP_CPU.
sweep() { # label transport scenario bind dialled from [extra customer args...]
  local label=$1 transport=$2 scenario=$3 bind=$4 dialled=$5 from=$6; shift 6
  SWEEP_MAX=0; SWEEP_CPU=; SWEEP_CPUS=(); SWEEP_NOTE=
  local stepped=0
  for rate in "${RATES[@]}"; do
    [ "$rate" -lt "$from" ] && continue
    if [ $((SECONDS + STEP_SECONDS + 25)) -gt $((BUDGET_SECONDS - RESERVE_SECONDS)) ]; then
      log "  $label: no time left for $rate cps"
      # Not one step run: say so instead of reporting 0 cps as a measurement.
      [ "$stepped" = 0 ] && SWEEP_MAX="n/a (no time left in the 14-minute budget)"
      # Steps passed, none failed: the maximum lies higher.
      [ "$stepped" = 1 ] && SWEEP_NOTE=" (a lower bound: no time left for $rate cps)"
      break
    fi
    stepped=1
    run_step "$label-$rate" "$transport" "$rate" $((rate * STEP_SECONDS)) "$CALL_MS" "$scenario" "$bind" "$dialled" "$@"
    after_step
    [ "$STEP_OK" = 1 ] || break
    SWEEP_MAX=$rate; SWEEP_CPU=$STEP_CPU
    SWEEP_CPUS+=("$rate:$STEP_CPU")
  done
}
# Issue 23: the server's CPU per call at each clean step of the last sweep, "rate:ms ...".
cost_per_step() {
  local step out=
  for step in "${SWEEP_CPUS[@]}"; do
    out+="${step%%:*}:$(sed -n 's/.*opentrunk_cpu_ms_per_call=\([0-9.]*\).*/\1/p' <<< "${step#*:}") "
  done
  echo "${out% }"
}
half_rate() { # max -> the first rate of a follow-up sweep: the largest listed rate <= max/2
  local from=${RATES[0]}
  for r in "${RATES[@]}"; do [ "$r" -le $(($1 / 2)) ] && from=$r; done
  echo "$from"
}
heap_used_kb() { # after a full GC
  jcmd "$SERVER_PID" GC.run > /dev/null
  # G1: "garbage-first heap   total 1048576K, used 80000K"; ZGC: "ZHeap used 80M, capacity ..."
  jcmd "$SERVER_PID" GC.heap_info | awk '/garbage-first heap|ZHeap/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/,$/,"",v)
    n=v+0; if(v ~ /G$/) n*=1048576; else if(v ~ /M$/) n*=1024; print int(n); exit}}'
}

max_heap() { # the server's -Xmx as the JVM took it, e.g. "3g" or "1024m" (not SoftMaxHeapSize)
  jcmd "$SERVER_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '$1 == "-XX:MaxHeapSize" {m = $2 / 1048576
    if (m % 1024 == 0) printf "%dg\n", m / 1024; else printf "%dm\n", m}'
}

RESERVE_SECONDS=230 # kept for the phases after the UDP sweep
readonly TRANSACTION_HOLD_SECONDS=40 # Liberty's 32 s hold of ended transactions, and a margin

# Warm-up: JIT, pools, first CDRs (not counted), gently: a cold server answers slowly, and a
# carrier answer later than OT_FAILOVER_TIMEOUT would start failovers. The sweep must measure a
# compiled server, as production runs one (without it UDP 700/s failed cold).
log "warm-up"
for rate in 20 50 100 200; do
  run_step "warmup-$rate" u1 "$rate" $((rate * 8)) "$CALL_MS" "$UAC" "$PBX" "$IP_TECH_PREFIX*$CALLED"
  after_step
done
# Then 200/s until the JIT has settled: on this 2-core machine C1/C2 compiled at about one CPU for
# the first ~2.5 minutes (jstat: 118 s of compile time, then +0.1 s per 15 s), and a sweep during
# that measured the compiler as much as OpenTrunk (the same rate cost 147% CPU in one run, 178%
# in the next). Settled = under JIT_SETTLED_SECONDS of compile time in a 10 s step.
readonly JIT_SETTLED_SECONDS=1 JIT_WARMUP_LIMIT=180
jit_seconds() { jstat -compiler "$SERVER_PID" 2>/dev/null | awk 'NR == 2 {print $4}'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN {print a - b}'; }
JIT_BEFORE=$(jit_seconds); JIT_START=$SECONDS
while [ $((SECONDS - JIT_START)) -lt $JIT_WARMUP_LIMIT ]; do
  before=$(jit_seconds)
  run_step "warmup-jit" u1 200 2000 "$CALL_MS" "$UAC" "$PBX" "$IP_TECH_PREFIX*$CALLED"
  after_step
  after=$(jit_seconds)
  log "  JIT compile time ${after:-?} s (+$(minus "$after" "$before") s in the step)"
  [ -n "$after" ] && awk -v d="$(minus "$after" "$before")" -v s="$JIT_SETTLED_SECONDS" 'BEGIN {exit !(d < s)}' && break
done
JIT_AFTER=$(jit_seconds)
summary "opentrunk bench warm-up: jit_compile_seconds=$JIT_AFTER (+$(minus "$JIT_AFTER" "$JIT_BEFORE") in $((SECONDS - JIT_START)) s of 200/s) before the sweep"

# 1. IP auth over UDP.
log "sweep: outbound, IP auth, UDP"
if [ "${BENCH_JFR:-0}" = 1 ]; then
  jcmd "$SERVER_PID" JFR.start name=bench duration=30s settings=profile filename="$OUT/sweep-udp.jfr" > /dev/null
fi
sweep ip-udp u1 "$UAC" "$PBX" "$IP_TECH_PREFIX*$CALLED" "${RATES[0]}"
UDP_MAX=$SWEEP_MAX
summary "opentrunk outbound ip-auth udp max_cps=$UDP_MAX$SWEEP_NOTE"
summary "opentrunk outbound ip-auth udp cpu_at_max: ${SWEEP_CPU:-n/a}"
summary "opentrunk outbound ip-auth udp cpu_ms_per_call_by_rate: $(cost_per_step)"

# 2. INVITE->200 latency at half the UDP maximum (SIPp's response time of each call, in ms).
if ! skipped latency && [ "$UDP_MAX" -gt 0 ]; then
  HALF=$((UDP_MAX / 2))
  log "latency at $HALF cps"
  cd "$OUT" # SIPp writes the response-time file into the working directory
  run_step latency u1 "$HALF" $((HALF * 10)) "$CALL_MS" "$UAC" "$PBX" "$IP_TECH_PREFIX*$CALLED" -trace_rtt -rtt_freq 1
  cd "$ROOT"
  # BENCH_HISTO=1: the live objects right after the latency step (its calls' transactions still held)
  [ "${BENCH_HISTO:-0}" = 1 ] && { jcmd "$SERVER_PID" GC.class_histogram > "$OUT/histo-latency.txt" 2>&1 || true; }
  after_step
  RTT=$(ls "$OUT"/*_rtt.csv 2>/dev/null | head -1 || true)
  if [ -n "$RTT" ]; then
    summary "opentrunk outbound ip-auth udp invite_200_ms_at_${HALF}_cps: $(awk -F';' 'NR>1 && $2!=""{print $2}' "$RTT" | sort -n | awk '
      function at(q,  i) { i = int(NR * q); if (i < 1) i = 1; return v[i] }
      {v[NR]=$1} END{ if(NR==0){print "no samples"; exit}
        printf "p50=%s p90=%s p99=%s max=%s samples=%d\n", at(0.50), at(0.90), at(0.99), v[NR], NR}')"
  fi
fi

# 3. Digest auth over UDP (challenge, ACK, authenticated INVITE: three requests instead of one).
# Before TCP: digest has a target (>= 60% of the IP-auth rate), TCP has none, and the budget may
# not reach both.
if ! skipped digest; then
  log "sweep: outbound, digest auth, UDP"
  RESERVE_SECONDS=180 # kept for the concurrent calls (and a first TCP step)
  # SIPp before 3.7.2 answers only the first challenge and only in MD5, hence OT_DIGEST_ALGORITHMS=MD5
  # above (also the default, named so that the bench does not hang on it); one call tells whether SIPp takes part.
  run_step digest-probe u1 1 1 "$CALL_MS" "$UAC_DIGEST" "$DIGEST_PBX" "$CALLED" -au "$DIGEST_USER" -ap "$DIGEST_PASSWORD"
  after_step
  if grep -q "authentication must use MD5" "$OUT/digest-probe-customer-console.log"; then
    summary "opentrunk outbound digest udp max_cps=n/a ($(sipp -v 2>&1 | grep -o 'v[0-9.]*' | head -1) cannot answer a SHA-256 challenge; needs SIPp >= 3.7.2)"
  else
    if [ "${BENCH_JFR:-0}" = digest ]; then
      jcmd "$SERVER_PID" JFR.start name=bench-digest duration=30s settings=profile filename="$OUT/sweep-digest.jfr" > /dev/null
    fi
    # From half the IP-auth maximum (the target is 60% of it): from a quarter, the budget ended
    # before the sweep got past 700.
    sweep digest-udp u1 "$UAC_DIGEST" "$DIGEST_PBX" "$CALLED" "$(half_rate "$UDP_MAX")" -au "$DIGEST_USER" -ap "$DIGEST_PASSWORD"
    summary "opentrunk outbound digest udp max_cps=$SWEEP_MAX$SWEEP_NOTE"
    summary "opentrunk outbound digest udp cpu_at_max: ${SWEEP_CPU:-n/a}"
    summary "opentrunk outbound digest udp cpu_ms_per_call_by_rate: $(cost_per_step)"
  fi
fi

# 4. IP auth over TCP, both legs (the carrier is switched to TCP for this phase).
if ! skipped tcp; then
  log "sweep: outbound, IP auth, TCP"
  RESERVE_SECONDS=160 # kept for the concurrent calls
  carrier_transport tcp
  # From half the UDP maximum, as digest: from a quarter, the budget ran out before the sweep failed.
  sweep ip-tcp t1 "$UAC" "$PBX" "$IP_TECH_PREFIX*$CALLED" "$(half_rate "$UDP_MAX")"
  summary "opentrunk outbound ip-auth tcp max_cps=$SWEEP_MAX$SWEEP_NOTE"
  summary "opentrunk outbound ip-auth tcp cpu_at_max: ${SWEEP_CPU:-n/a}"
  summary "opentrunk outbound ip-auth tcp cpu_ms_per_call_by_rate: $(cost_per_step)"
  carrier_transport udp
fi

# 5. Concurrent calls: N calls set up at the clean UDP rate and held; the heap used after a full
# GC, per held call. The last phase: the held calls are not hung up one by one, the SIPps and the
# server are simply stopped.
if ! skipped concurrent && [ "$UDP_MAX" -gt 0 ]; then
  HOLD_RATE=$(( UDP_MAX > 1000 ? 1000 : UDP_MAX ))
  LEFT=$((BUDGET_SECONDS - SECONDS - 45 - 2 * TRANSACTION_HOLD_SECONDS))
  HOLD_CALLS=$(( CONCURRENT_CALLS < HOLD_RATE * LEFT ? CONCURRENT_CALLS : HOLD_RATE * LEFT ))
  if [ "$HOLD_CALLS" -lt "$HOLD_RATE" ]; then
    summary "opentrunk outbound concurrent_calls=n/a (no time left)"
  else
    RAMP=$((HOLD_CALLS / HOLD_RATE))
    log "concurrent calls: $HOLD_CALLS at $HOLD_RATE cps (about ${RAMP}s), held"
    # The baseline without the last step's transactions (the stack holds them 32 s), as the
    # held calls' second reading is taken without theirs.
    sleep "$TRANSACTION_HOLD_SECONDS"
    BASE_KB=$(heap_used_kb)
    ANSWERED_BEFORE=$(count_in_calls answeredAt) # left over by failed steps
    start_sipp concurrent-carrier -sf "$UAS" -i "$CARRIER" -mi "$CARRIER" -p "$CARRIER_PORT" -t u1 -m "$HOLD_CALLS"
    sleep 0.3
    start_sipp concurrent-customer -sf "$UAC" -i "$PBX" -mi "$PBX" -p "$CUSTOMER_PORT" -t u1 -s "$IP_TECH_PREFIX*$CALLED" -r "$HOLD_RATE" \
      -m "$HOLD_CALLS" -l $((HOLD_CALLS + 10)) -d 600000 "$TRUNK:$SIP_PORT"
    # until every call is placed and answered, at most ramp + 20 s
    for _ in $(seq 1 $(( (RAMP + 20) * 2 ))); do
      sleep 0.5
      PLACED=$(stat_last "$OUT/concurrent-customer-stat.csv" 'OutgoingCall(C)')
      [ "$PLACED" -ge "$HOLD_CALLS" ] && break
    done
    sleep 3
    ANSWERED=$(( $(count_in_calls answeredAt) - ANSWERED_BEFORE ))
    HELD_KB=$(heap_used_kb)
    HOLD_FAILED=$(stat_last "$OUT/concurrent-customer-stat.csv" 'FailedCall(C)')
    # Issue 23: what a held call costs once the SIP stack has let go of its set-up transactions
    # (Liberty keeps each 32 s after it ends): the calls' own state, what a long call holds.
    sleep "$TRANSACTION_HOLD_SECONDS"
    STEADY_KB=$(heap_used_kb)
    [ "${BENCH_HISTO:-0}" = 1 ] && { jcmd "$SERVER_PID" GC.class_histogram > "$OUT/histo-held.txt" 2>&1 || true; }
    summary "opentrunk outbound concurrent_calls=$ANSWERED (of $HOLD_CALLS placed at $HOLD_RATE cps; $HOLD_FAILED failed) heap_after_gc_mb=$((HELD_KB / 1024)) (before $((BASE_KB / 1024))) heap_per_call_kb=$(( ANSWERED > 0 ? (HELD_KB - BASE_KB) / ANSWERED : 0 )) heap_per_held_call_after_${TRANSACTION_HOLD_SECONDS}s_kb=$(( ANSWERED > 0 ? (STEADY_KB - BASE_KB) / ANSWERED : 0 )) max_heap=$(max_heap)"
  fi
fi

# Where the server's CPU went over the whole run, by thread group (live threads; threads that
# ended, e.g. executor threads the pool retired, are in "exited"), and the CDRs it wrote.
cpu_by_thread() {
  local hz total
  hz=$(getconf CLK_TCK)
  total=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  for task in /proc/"$SERVER_PID"/task/*; do
    # comm may hold spaces: take it between the parentheses, the times after them
    sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1|\2/' "$task/stat" 2>/dev/null
  done | awk -F'|' -v hz="$hz" -v total="$total" '
    { split($2, f, " "); t = f[12] + f[13]; name = $1
      if (name ~ /^C[12] Compil/) g = "jit"; else if (name ~ /^(GC Thread|G1 |Z(Worker|Driver|Director|Stat|Uncommit|Unmap))/) g = "gc"
      else if (name ~ /^cdr-/) g = name; else if (name ~ /^Default Executor/) g = "executor"
      else if (name ~ /Sip|UDP|TCP/) g = "sip-transport"; else g = "other"
      sum[g] += t; live += t }
    END { printf "total=%.0fs", total / hz
          for (g in sum) printf " %s=%.0fs", g, sum[g] / hz
          printf " exited=%.0fs\n", (total - live) / hz }'
}
CDRS_WRITTEN=$(api "http://$TRUNK:$HTTP_PORT/metrics" | sed -n 's/^opentrunk_cdr_records_total{state="written"} \([0-9]*\).*/\1/p')
summary "opentrunk server cpu_by_thread: $(cpu_by_thread) cdrs_written=${CDRS_WRITTEN:-?}"
summary "opentrunk bench machine: nproc=$(nproc) load_avg_before=[$LOAD_BEFORE] load_avg_after=[$(cut -d' ' -f1-3 /proc/loadavg)] (load above nproc: other processes competed for the CPUs; figures are lower bounds)"
log "done in ${SECONDS}s; details in $OUT (steps.txt, SIPp statistics) and $SERVER_DIR/logs"
