#!/usr/bin/env bash
# Runs every OpenTrunk test on a machine with Java 17 and Maven. The tests talk SIP to real peers
# (SIPp, baresip, linphonec, Kamailio, dnsmasq, PostgreSQL, Chromium for the admin pages, Prometheus' promtool ...), so this first installs
# the Debian packages they need when they are missing: a test never skips for want of a tool.
# Extra arguments go to Maven, e.g. ./test.sh -Dit.test=CallPathIT
set -euo pipefail
cd "$(dirname "$0")"

# command -> Debian package that provides it. A command may be in /usr/sbin, which is not on
# every user's PATH (dnsmasq, the private DNS server of the DNS routing tests, lives there).
declare -A PACKAGES=(
  [sipp]=sip-tester
  [dnsmasq]=dnsmasq-base
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [baresip]=baresip-core
  [kamailio]=kamailio
  [linphonec]=linphone-cli
  [promtool]=prometheus
  [fail2ban-regex]=fail2ban
  [redis-server]=redis-server
)

missing=()
for cmd in "${!PACKAGES[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${PACKAGES[$cmd]}")
done
# The repository tests also run on a real PostgreSQL server, started by the test itself
# (initdb + pg_ctl on a loopback port); the client alone is not enough.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
# The Prometheus project's text-format parser (Python client) reads /metrics in MetricsIT, and
# promtool checks the scrape and deploy/prometheus's rules (PrometheusRulesTest): Debian's packages.
/usr/bin/python3 -c 'import prometheus_client' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
# Kamailio's secsipid module (STIR/SHAKEN, StirShakenIT) is a module, not a command.
compgen -G "/usr/lib/*/kamailio/modules/secsipid.so" >/dev/null || missing+=(kamailio-secsipid-modules)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

exec mvn -B verify "$@"
