#!/usr/bin/env bash
# An OpenTrunk cluster on this machine's loopback addresses, for trying it out and for the tests
# (issue 20, docs/cluster.md): a PostgreSQL, a Redis, OT_NODES OpenTrunk nodes and the Kamailio
# front. Every process is started by this script, its PID kept in the state directory, and `stop`
# ends exactly those (nothing found by name).
#
#   deploy/local-cluster.sh start|stop|status
#   deploy/local-cluster.sh node-kill N    # SIGKILL of node N, as a crash (for tests)
#   deploy/local-cluster.sh node-stop N    # stops node N (Liberty's stop)
#   deploy/local-cluster.sh node-start N   # starts node N again on its directory, waits until ready
#
# Needs a build first: `mvn -o package liberty:create` (or any `mvn verify`) leaves the Liberty
# runtime in target/liberty/wlp and the WAR in target/opentrunk.war. Debian packages: kamailio,
# postgresql, redis-server (./test.sh installs them).
#
# Settings (environment; defaults in brackets):
#   OT_NODES [2]                 nodes; node N: SIP 127.0.1.N:5060 (UDP, TCP), HTTP 127.0.1.N:(9080+N)
#   OT_FRONT_HOST [127.0.0.10]   the front's address; OT_FRONT_PORT [5060]
#   OT_CLUSTER_DIR [target/local-cluster]  state: PID files, data, logs
#   OT_CLUSTER_PG_PORT [25440]   PostgreSQL on 127.0.0.1; OT_CLUSTER_REDIS_PORT [26380] Redis on 127.0.0.1
#   OT_CLUSTER_WAIT [240]        seconds `start` waits for the nodes to be ready
#   OT_CLUSTER_FRONT_SHM_MB [512] the front's shared memory (transactions; 64 MB ran out at 300 calls/s)
# Every other OT_* variable of the environment (OT_ADMIN_PASSWORD, OT_SIP_DOMAIN ...) goes to
# every node; the script sets OT_SIP_HOST/PORT, OT_HTTP_HOST/PORT, OT_DB_URL/USER/PASSWORD,
# OT_REDIS_URL, OT_NODE_ID, OT_TRUSTED_FRONTS, OT_OUTBOUND_PROXY, OT_DATA_DIR, OT_MEDIA_ADDRESS
# and OT_RTP_PORTS per node.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

NODES="${OT_NODES:-2}"
FRONT_HOST="${OT_FRONT_HOST:-127.0.0.10}"
FRONT_PORT="${OT_FRONT_PORT:-5060}"
DIR="${OT_CLUSTER_DIR:-$ROOT/target/local-cluster}"
case "$DIR" in /*) ;; *) DIR="$ROOT/$DIR" ;; esac
PG_PORT="${OT_CLUSTER_PG_PORT:-25440}"
REDIS_PORT="${OT_CLUSTER_REDIS_PORT:-26380}"
WAIT_SECONDS="${OT_CLUSTER_WAIT:-240}"
WLP="$ROOT/target/liberty/wlp"
NODE_SIP_PORT=5060
NODE_HTTP_BASE=9080
DB_NAME=opentrunk
DB_USER=opentrunk
# Settings the script gives each node itself, and its own: not passed through from the environment.
OWN_SETTINGS='^OT_(SIP_HOST|SIP_PORT|HTTP_HOST|HTTP_PORT|DB_URL|DB_USER|DB_PASSWORD|REDIS_URL|NODE_ID|TRUSTED_FRONTS|OUTBOUND_PROXY|DATA_DIR|MEDIA_ADDRESS|RTP_PORTS|NODES|FRONT_HOST|FRONT_PORT|CLUSTER_[A-Z_]*)='

die() { echo "local-cluster: $*" >&2; exit 1; }
node_addr() { echo "127.0.1.$1"; }
node_http() { echo $((NODE_HTTP_BASE + $1)); }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$bin/initdb" ] || die "no PostgreSQL server binaries (Debian package postgresql)"
  echo "$bin"
}

start_postgres() {
  local bin; bin="$(pg_bin)"
  mkdir -p "$DIR/postgres"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR/postgres"
  if [ ! -f "$DIR/postgres/data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$DIR/postgres/data" -U "$DB_USER" -A trust -E UTF8 --no-sync >"$DIR/postgres-initdb.log" 2>&1 \
      || die "initdb failed ($DIR/postgres-initdb.log)"
  fi
  as_postgres "$bin/pg_ctl" -D "$DIR/postgres/data" -w -t 60 -l "$DIR/postgres/server.log" \
    -o "-p $PG_PORT -h 127.0.0.1 -k $DIR/postgres" start >/dev/null || die "PostgreSQL did not start ($DIR/postgres/server.log)"
  head -1 "$DIR/postgres/data/postmaster.pid" >"$DIR/postgres.pid"
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1 \
    || as_postgres "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$DB_NAME"
  echo "postgres  127.0.0.1:$PG_PORT  pid $(cat "$DIR/postgres.pid")"
}

start_redis() {
  command -v redis-server >/dev/null || die "no redis-server (Debian package redis-server)"
  mkdir -p "$DIR/redis"
  # Shared fast state (issue 20); kept in memory only: the database holds what must last.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis/redis.log" >/dev/null
  for _ in $(seq 50); do [ -s "$DIR/redis.pid" ] && break; sleep 0.1; done
  alive "$DIR/redis.pid" || die "Redis did not start ($DIR/redis/redis.log)"
  echo "redis     127.0.0.1:$REDIS_PORT  pid $(cat "$DIR/redis.pid")"
}

postgres_driver() {
  local jar
  jar="$(ls "$WLP"/usr/servers/*/jdbc/postgresql-*.jar 2>/dev/null | head -1 || true)"
  if [ -z "$jar" ]; then
    local version
    version="$(sed -n 's:.*<postgresql.version>\(.*\)</postgresql.version>.*:\1:p' "$ROOT/pom.xml")"
    jar="$HOME/.m2/repository/org/postgresql/postgresql/$version/postgresql-$version.jar"
  fi
  [ -f "$jar" ] || die "no PostgreSQL JDBC driver found (run mvn -o package liberty:create first)"
  echo "$jar"
}

# Node N's Liberty server: the production configuration, the WAR, the driver and its settings.
create_node() {
  local n="$1" addr http server
  addr="$(node_addr "$n")"; http="$(node_http "$n")"
  server="$DIR/wlp-usr/servers/node$n"
  rm -rf "$server"; mkdir -p "$server/apps" "$server/jdbc" "$DIR/node$n-data"
  cp "$ROOT"/src/main/liberty/config/* "$server/"
  cp "$ROOT/target/opentrunk.war" "$server/apps/opentrunk.war"
  cp "$(postgres_driver)" "$server/jdbc/"
  {
    cat "$ROOT/src/main/liberty/config/server.env"
    env | grep -E '^OT_[A-Z0-9_]+=' | grep -Ev "$OWN_SETTINGS" || true
    echo "OT_SIP_HOST=$addr"
    echo "OT_SIP_PORT=$NODE_SIP_PORT"
    echo "OT_HTTP_HOST=$addr"
    echo "OT_HTTP_PORT=$http"
    echo "OT_DB_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/$DB_NAME"
    echo "OT_DB_USER=$DB_USER"
    echo "OT_DB_PASSWORD=$DB_USER"
    echo "OT_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
    echo "OT_NODE_ID=node$n"
    echo "OT_TRUSTED_FRONTS=$FRONT_HOST"
    echo "OT_OUTBOUND_PROXY=sip:$FRONT_HOST:$FRONT_PORT;lr"
    echo "OT_DATA_DIR=$DIR/node$n-data"
    echo "OT_MEDIA_ADDRESS=$addr"
    echo "OT_RTP_PORTS=$((20000 + n * 1000))-$((20999 + n * 1000))"
  } >"$server/server.env"
}

liberty() { WLP_USER_DIR="$DIR/wlp-usr" "$WLP/bin/server" "$@"; }
node_pid_file() { echo "$DIR/wlp-usr/servers/.pid/node$1.pid"; }

start_node() {
  local n="$1"
  [ -d "$DIR/wlp-usr/servers/node$n" ] || create_node "$n"
  liberty start "node$n" >"$DIR/node$n-start.log" 2>&1 || die "node $n did not start ($DIR/node$n-start.log)"
  cp "$(node_pid_file "$n")" "$DIR/node$n.pid"
  echo "node$n     $(node_addr "$n"):$NODE_SIP_PORT (HTTP $(node_addr "$n"):$(node_http "$n"))  pid $(cat "$DIR/node$n.pid")"
}

wait_ready() {
  local n="$1" deadline=$((SECONDS + WAIT_SECONDS))
  until curl -fs -o /dev/null "http://$(node_addr "$n"):$(node_http "$n")/health/ready"; do
    alive "$DIR/node$n.pid" || die "node $n died while starting (logs: $DIR/wlp-usr/servers/node$n/logs)"
    [ $SECONDS -lt $deadline ] || die "node $n not ready within ${WAIT_SECONDS}s (logs: $DIR/wlp-usr/servers/node$n/logs)"
    sleep 1
  done
}

start_front() {
  mkdir -p "$DIR/front"
  : >"$DIR/front/nodes.list"
  for n in $(seq "$NODES"); do
    # set 1, flags 8 (probed), equal relative weights
    echo "1 sip:$(node_addr "$n"):$NODE_SIP_PORT 8 0 rweight=50" >>"$DIR/front/nodes.list"
  done
  local kamailio=kamailio
  [ -x /usr/sbin/kamailio ] && kamailio=/usr/sbin/kamailio
  # -DD: foreground, so this PID is the main process; -E: log to stderr (the log file).
  setsid "$kamailio" -f "$ROOT/deploy/kamailio/opentrunk-front.cfg" -DD -E -Y "$DIR/front" -m "${OT_CLUSTER_FRONT_SHM_MB:-512}" -M 16 \
    -l "udp:$FRONT_HOST:$FRONT_PORT" -l "tcp:$FRONT_HOST:$FRONT_PORT" \
    -A "DISPATCHER_LIST=\"$DIR/front/nodes.list\"" </dev/null >"$DIR/front/kamailio.log" 2>&1 &
  echo $! >"$DIR/front.pid"
  for _ in $(seq 100); do
    grep -q "$FRONT_HOST" /proc/net/udp 2>/dev/null && break
    (exec 3<>"/dev/tcp/$FRONT_HOST/$FRONT_PORT") 2>/dev/null && break
    alive "$DIR/front.pid" || die "the front did not start ($DIR/front/kamailio.log)"
    sleep 0.1
  done
  echo "front     $FRONT_HOST:$FRONT_PORT  pid $(cat "$DIR/front.pid")"
}

stop_pid() {
  local name="$1" file="$2"
  if alive "$file"; then
    local pid; pid="$(cat "$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

stop_node() {
  local n="$1"
  if alive "$DIR/node$n.pid"; then
    liberty stop "node$n" >/dev/null 2>&1 || true
    echo "stopped node$n (pid $(cat "$DIR/node$n.pid"))"
  fi
  stop_pid "node$n" "$DIR/node$n.pid"
}

cmd_start() {
  [ -x "$WLP/bin/server" ] || die "no Liberty runtime in $WLP: run mvn -o package liberty:create first"
  [ -f "$ROOT/target/opentrunk.war" ] || die "no target/opentrunk.war: run mvn -o package first"
  mkdir -p "$DIR"
  for f in postgres redis front $(seq -f 'node%g' "$NODES"); do
    alive "$DIR/$f.pid" && die "$f is running already (pid $(cat "$DIR/$f.pid")); stop first"
  done
  # A start that fails half-way stops what it started: nothing is left running unaccounted.
  trap 'echo "local-cluster: start failed; stopping what was started" >&2; cmd_stop >&2' EXIT
  start_postgres
  start_redis
  for n in $(seq "$NODES"); do create_node "$n"; start_node "$n"; done
  for n in $(seq "$NODES"); do wait_ready "$n"; done
  start_front
  trap - EXIT
}

cmd_stop() {
  [ -d "$DIR" ] || return 0
  stop_pid front "$DIR/front.pid"
  for f in "$DIR"/node*.pid; do
    [ -e "$f" ] || continue
    n="${f##*/node}"; n="${n%.pid}"
    stop_node "$n"
  done
  stop_pid redis "$DIR/redis.pid"
  if alive "$DIR/postgres.pid"; then
    as_postgres "$(pg_bin)/pg_ctl" -D "$DIR/postgres/data" -w -t 30 -m fast stop >/dev/null || true
    stop_pid postgres "$DIR/postgres.pid"
  fi
  rm -f "$DIR/postgres.pid"
}

cmd_status() {
  local any=1
  for f in postgres redis $(cd "$DIR" 2>/dev/null && ls node*.pid 2>/dev/null | sed 's/\.pid$//') front; do
    if alive "$DIR/$f.pid"; then echo "$f alive (pid $(cat "$DIR/$f.pid"))"; any=0
    elif [ -f "$DIR/$f.pid" ]; then echo "$f dead (pid $(cat "$DIR/$f.pid"))"
    else echo "$f not started"; fi
  done
  return $any
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  node-kill)
    [ -n "${2:-}" ] || die "node-kill N"
    alive "$DIR/node$2.pid" || die "node $2 is not running"
    pid="$(cat "$DIR/node$2.pid")"; kill -KILL "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "killed node$2 (pid $pid)" ;;
  node-stop)
    [ -n "${2:-}" ] || die "node-stop N"
    stop_node "$2" ;;
  node-start)
    [ -n "${2:-}" ] || die "node-start N"
    alive "$DIR/node$2.pid" && die "node $2 is running"
    start_node "$2"; wait_ready "$2" ;;
  *) echo "usage: $0 start|stop|status|node-kill N|node-stop N|node-start N" >&2; exit 2 ;;
esac
