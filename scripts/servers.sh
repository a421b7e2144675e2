#!/usr/bin/env bash
# Real object stores on 127.0.0.1 for the store tests (test/store): a one-monitor, one-OSD Ceph
# cluster (OSD on memstore: data in RAM, capped) with a RADOS Gateway for S3, and Azurite for Azure
# Blob. Recipe and quirks: /work/shared/spec/object-stores.md (ceph.conf values, the msgr-v1 monitor
# address, registering memstore's own OSD fsid).
#
#   scripts/servers.sh start    install what is missing, start both (no-op when already answering)
#   scripts/servers.sh stop     kill every process by the PID recorded at start, wait for it to exit
#   scripts/servers.sh status   which recorded processes are alive and whether the servers answer
#   scripts/servers.sh env      print the env file as `export` lines: eval "$(scripts/servers.sh env)"
#
# Everything lives in one state folder (default .servers/, ignored by git through its own
# .gitignore): ceph.conf, monitor store, run dir, admin sockets, logs, pids/, and `env`, the file
# test/support/servers.ts reads. Azurite is installed into .tools/azurite, never into package.json.
# Ports (override with the variables): monitor 6789 (msgr v1 only), OSD 6800-6807, gateway 7480,
# Azurite 10000.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${ARTIFACTS_SERVERS_DIR:-$ROOT/.servers}"
MON_PORT="${ARTIFACTS_SERVERS_MON_PORT:-6789}"
OSD_PORT_MIN="${ARTIFACTS_SERVERS_OSD_PORT_MIN:-6800}"
RGW_PORT="${ARTIFACTS_SERVERS_RGW_PORT:-7480}"
AZURITE_PORT="${ARTIFACTS_SERVERS_AZURITE_PORT:-10000}"
AZURITE_VERSION=3.35.0
AZURITE_DIR="$ROOT/.tools/azurite"
AZURITE_MAIN="$AZURITE_DIR/node_modules/azurite/dist/src/blob/main.js"
MEMSTORE_BYTES=$((2 * 1024 * 1024 * 1024))
WAIT_SECONDS="${ARTIFACTS_SERVERS_WAIT:-90}"

# Fixed test credentials: they only ever open these throwaway servers on 127.0.0.1.
S3_ACCESS_KEY=ARTIFACTSTESTACCESS01
S3_SECRET_KEY=artifacts-test-secret-key-0123456789abcd
S3_USER=artifacts-test
# Azurite's documented development account (the same for every Azurite installation).
AZ_ACCOUNT=devstoreaccount1
AZ_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

CONF="$STATE/ceph.conf"
PIDS="$STATE/pids"
LOGS="$STATE/log"

say() { printf '[servers] %s\n' "$*"; }
die() { printf '[servers] error: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# ---------------------------------------------------------------------------------------------------
# install

apt_install() {
  local missing=() pkg
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  local t0; t0=$(now)
  say "installing ${missing[*]} (apt-get)"
  mkdir -p "$STATE"
  # Stale package lists give 404s: update first when the candidate is unknown, and retry once.
  if apt-cache policy "${missing[0]}" 2>/dev/null | grep -q 'Candidate: (none)' || [ -z "$(apt-cache policy "${missing[0]}" 2>/dev/null)" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$STATE/apt.log" 2>&1
  fi
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$STATE/apt.log" 2>&1; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$STATE/apt.log" 2>&1
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$STATE/apt.log" 2>&1 ||
      { tail -n 20 "$STATE/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $STATE/apt.log)"; }
  fi
  say "  installed in $(( $(now) - t0 ))s"
}

install_azurite() {
  if [ -f "$AZURITE_MAIN" ] && grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_DIR/node_modules/azurite/package.json" 2>/dev/null; then return 0; fi
  local t0; t0=$(now)
  say "installing azurite@$AZURITE_VERSION into ${AZURITE_DIR#"$ROOT"/}"
  mkdir -p "$AZURITE_DIR" "$STATE"
  # A package.json of its own keeps npm from walking up into the project's.
  [ -f "$AZURITE_DIR/package.json" ] || printf '{ "name": "azurite-tool", "private": true }\n' >"$AZURITE_DIR/package.json"
  (cd "$AZURITE_DIR" && npm install --no-audit --no-fund --no-save --loglevel=error "azurite@$AZURITE_VERSION") >"$STATE/npm-azurite.log" 2>&1 ||
    { tail -n 20 "$STATE/npm-azurite.log" >&2; die "npm install azurite@$AZURITE_VERSION failed (log: $STATE/npm-azurite.log)"; }
  say "  installed in $(( $(now) - t0 ))s"
}

# ---------------------------------------------------------------------------------------------------
# processes, recorded by PID in $PIDS/<name>

# The program each recorded process runs: a PID is only ever signalled while it still runs it (a
# PID left from a reboot may belong to something else by now).
program_of() { case $1 in mon.a) echo ceph-mon ;; osd.0) echo ceph-osd ;; radosgw) echo radosgw ;; azurite) echo azurite ;; esac; }
pid_of() {
  local pid; pid=$(cat "$PIDS/$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(program_of "$1")" && echo "$pid"
}
alive() { pid_of "$1" >/dev/null; }

# launch NAME CMD...: runs CMD in the foreground of its own session, in the background of this
# script, and records its PID (setsid does not fork here: a background job is no group leader).
launch() {
  local name=$1; shift
  mkdir -p "$PIDS" "$LOGS"
  setsid "$@" </dev/null >>"$LOGS/$name.out" 2>&1 &
  echo $! >"$PIDS/$name"
}

log_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    printf -- '--- last lines of %s\n' "$f" >&2
    tail -n 25 "$f" >&2
  done
}

# wait_for WHAT SECONDS PROCESS LOGS... -- CMD...: polls CMD until it succeeds; when PROCESS (a name
# under pids/) exits or the time is up, prints the log tails and fails (cmd_start then stops all).
wait_for() {
  local what=$1 secs=$2 proc=$3; shift 3
  local logs=()
  while [ "$1" != -- ]; do logs+=("$1"); shift; done
  shift
  local deadline=$(( $(now) + secs )) why=""
  until "$@" >/dev/null 2>&1; do
    if ! alive "$proc"; then why="exited"; elif [ "$(now)" -ge "$deadline" ]; then why="did not answer within ${secs}s"; fi
    if [ -n "$why" ]; then
      printf '[servers] error: %s %s\n' "$what" "$why" >&2
      log_tail "${logs[@]}"
      exit 1
    fi
    sleep 0.5
  done
}

http_answers() { curl -s -o /dev/null --max-time 3 -w '%{http_code}' "$1" | grep -qv '^000$'; }
ceph_cmd() { timeout 60 ceph -c "$CONF" --connect-timeout 30 "$@"; }
osd_up() { ceph_cmd osd stat 2>/dev/null | grep -q '1 up'; }
rgw_user_ready() {
  # A signed request by the test user: the gateway answers 200 once the user exists. (curl 7.88
  # does not send the payload hash the gateway needs: that of an empty body.)
  [ "$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' --aws-sigv4 'aws:amz:us-east-1:s3' \
    -H 'x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "http://127.0.0.1:$RGW_PORT/")" = 200 ]
}

stop_all() {
  [ -d "$PIDS" ] || return 0
  local name pid waited
  # Gateway first, then OSD, then monitor (the OSD reports to the monitor while it goes down).
  for name in azurite radosgw osd.0 mon.a; do
    pid=$(pid_of "$name") && kill -TERM "$pid" 2>/dev/null || true
  done
  for name in azurite radosgw osd.0 mon.a; do
    waited=0
    while pid=$(pid_of "$name"); do
      # The OSD takes a few seconds; the next cluster needs its ports, so wait, then insist.
      if [ $waited -eq 300 ]; then kill -KILL "$pid" 2>/dev/null || true; fi
      if [ $waited -ge 400 ]; then say "process $name ($pid) would not exit"; break; fi
      sleep 0.1; waited=$((waited + 1))
    done
    rm -f "$PIDS/$name"
  done
}

# ---------------------------------------------------------------------------------------------------
# Ceph

write_ceph_conf() {
  local fsid=$1
  # $cluster, $name, $id are Ceph's own metavariables (escaped here).
  cat >"$CONF" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
ms bind port min = $OSD_PORT_MIN
ms bind port max = $((OSD_PORT_MIN + 7))
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd crush chooseleaf type = 0
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
mon data avail crit = 0
mon data avail warn = 0
mon warn on pool no redundancy = false
run dir = $STATE/run
admin socket = $STATE/run/\$cluster-\$name.asok
pid file = $STATE/run/\$name.pid
log file = $LOGS/\$name.log
log to stderr = false
err to stderr = true
mon data = $STATE/mon/\$cluster-\$id
osd data = $STATE/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
# At start an OSD sends its CRUSH location and device class to the monitor, at times before it has
# the monitor map, and the monitor refuses that ('wrong fsid') and the OSD exits: skip both.
osd crush update on start = false
osd class update on start = false
keyring = $STATE/keyring

[client.rgw.a]
# tcp_nodelay: without it every answer with a body waits ~40 ms for the client's delayed ACK (the
# gateway writes headers and body apart, and Nagle holds the body back), which no real S3 service does.
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw data = $STATE/rgw
rgw dns name = 127.0.0.1
log file = $LOGS/radosgw.log
EOF
}

start_ceph() {
  local t0; t0=$(now)
  rm -rf "$STATE/mon" "$STATE/osd" "$STATE/run" "$STATE/rgw" "$STATE/monmap" "$STATE/keyring" "$LOGS"
  mkdir -p "$STATE/mon/ceph-a" "$STATE/osd/ceph-0" "$STATE/run" "$STATE/rgw" "$LOGS"
  local fsid; fsid=$(cat /proc/sys/kernel/random/uuid)
  write_ceph_conf "$fsid"

  ceph-authtool --create-keyring "$STATE/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  # --addv with an explicit v1 address: a plain --add registers msgr2 and the OSD never finds it.
  monmaptool --create --fsid "$fsid" --addv a "[v1:127.0.0.1:$MON_PORT]" "$STATE/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$STATE/monmap" --keyring "$STATE/keyring" >"$LOGS/mkfs-mon.out" 2>&1 ||
    { log_tail "$LOGS/mkfs-mon.out" "$LOGS/mon.a.log"; die "ceph-mon --mkfs failed"; }
  launch mon.a ceph-mon -c "$CONF" -f -i a
  wait_for "Ceph monitor (127.0.0.1:$MON_PORT)" "$WAIT_SECONDS" mon.a "$LOGS/mon.a.out" "$LOGS/mon.a.log" -- ceph_cmd mon stat

  timeout 120 ceph-osd -c "$CONF" -i 0 --mkfs >"$LOGS/mkfs-osd.out" 2>&1 ||
    { log_tail "$LOGS/mkfs-osd.out" "$LOGS/osd.0.log"; die "ceph-osd --mkfs failed"; }
  # memstore chose its own OSD fsid at mkfs: register the OSD under it. The OSD places itself in the
  # CRUSH map only when told (osd crush update on start = false, see ceph.conf), so do it here.
  # Both commands are idempotent; a monitor that has just formed its quorum may still refuse them.
  local try
  for try in 1 2 3 4 5; do
    if ceph_cmd osd new "$(cat "$STATE/osd/ceph-0/fsid")" 0 >>"$LOGS/osd-new.out" 2>&1 &&
      ceph_cmd osd crush add osd.0 1.0 root=default >>"$LOGS/osd-new.out" 2>&1; then break; fi
    if [ "$try" = 5 ]; then log_tail "$LOGS/osd-new.out" "$LOGS/mon.a.log"; die "registering the OSD failed (ceph osd new / osd crush add)"; fi
    sleep 2
  done
  launch osd.0 ceph-osd -c "$CONF" -f -i 0
  wait_for "Ceph OSD" "$WAIT_SECONDS" osd.0 "$LOGS/osd.0.out" "$LOGS/osd.0.log" -- osd_up

  launch radosgw radosgw -c "$CONF" -f -n client.rgw.a
  wait_for "RADOS Gateway (127.0.0.1:$RGW_PORT)" "$WAIT_SECONDS" radosgw "$LOGS/radosgw.out" "$LOGS/radosgw.log" -- http_answers "http://127.0.0.1:$RGW_PORT/"
  timeout 60 radosgw-admin -c "$CONF" user create --uid="$S3_USER" --display-name="Artifacts tests" \
    --access-key="$S3_ACCESS_KEY" --secret="$S3_SECRET_KEY" >"$LOGS/user-create.out" 2>&1 ||
    { log_tail "$LOGS/user-create.out"; die "radosgw-admin user create failed"; }
  wait_for "RADOS Gateway with the test user" 30 radosgw "$LOGS/radosgw.log" -- rgw_user_ready
  say "Ceph + RADOS Gateway on http://127.0.0.1:$RGW_PORT in $(( $(now) - t0 ))s"
}

start_azurite() {
  local t0; t0=$(now)
  mkdir -p "$LOGS"
  # Blobs in RAM, like the memstore OSD: nothing to clean up.
  launch azurite node "$AZURITE_MAIN" --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" \
    --silent --disableTelemetry --skipApiVersionCheck --inMemoryPersistence
  wait_for "Azurite (127.0.0.1:$AZURITE_PORT)" "$WAIT_SECONDS" azurite "$LOGS/azurite.out" -- http_answers "http://127.0.0.1:$AZURITE_PORT/$AZ_ACCOUNT?comp=list"
  say "Azurite on http://127.0.0.1:$AZURITE_PORT/$AZ_ACCOUNT in $(( $(now) - t0 ))s"
}

write_env() {
  local url="http://127.0.0.1:$AZURITE_PORT/$AZ_ACCOUNT"
  cat >"$STATE/env.tmp" <<EOF
ARTIFACTS_TEST_S3_ENDPOINT='http://127.0.0.1:$RGW_PORT'
ARTIFACTS_TEST_S3_REGION='us-east-1'
ARTIFACTS_TEST_S3_ACCESS_KEY='$S3_ACCESS_KEY'
ARTIFACTS_TEST_S3_SECRET_KEY='$S3_SECRET_KEY'
ARTIFACTS_TEST_AZURE_URL='$url'
ARTIFACTS_TEST_AZURE_ACCOUNT='$AZ_ACCOUNT'
ARTIFACTS_TEST_AZURE_KEY='$AZ_KEY'
ARTIFACTS_TEST_AZURE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=$AZ_ACCOUNT;AccountKey=$AZ_KEY;BlobEndpoint=$url;'
EOF
  mv "$STATE/env.tmp" "$STATE/env"
}

all_answer() {
  alive mon.a && alive osd.0 && alive radosgw && alive azurite &&
    rgw_user_ready && http_answers "http://127.0.0.1:$AZURITE_PORT/$AZ_ACCOUNT?comp=list"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd_start() {
  local t0; t0=$(now)
  mkdir -p "$STATE"
  [ -f "$STATE/.gitignore" ] || printf '*\n' >"$STATE/.gitignore"
  if all_answer; then
    write_env
    say "already running; env file: $STATE/env"
    return 0
  fi
  stop_all # whatever is left of an earlier start
  apt_install radosgw ceph-mon ceph-osd
  install_azurite
  local p
  for p in "$MON_PORT" "$RGW_PORT" "$AZURITE_PORT"; do
    port_free "$p" || die "port 127.0.0.1:$p is taken by another process (set ARTIFACTS_SERVERS_*_PORT)"
  done
  # A failed start leaves nothing running (ARTIFACTS_SERVERS_KEEP=1 keeps it, to look around).
  trap '[ -n "${ARTIFACTS_SERVERS_KEEP:-}" ] || stop_all' EXIT
  start_azurite
  start_ceph
  write_env
  trap - EXIT
  say "started in $(( $(now) - t0 ))s; env file: $STATE/env"
}

cmd_status() {
  local name pid rc=0
  for name in mon.a osd.0 radosgw azurite; do
    if pid=$(pid_of "$name"); then say "$name: running (pid $pid)"; else say "$name: not running"; rc=1; fi
  done
  if rgw_user_ready; then say "S3 (RADOS Gateway): answers on http://127.0.0.1:$RGW_PORT"; else say "S3: no answer"; rc=1; fi
  if http_answers "http://127.0.0.1:$AZURITE_PORT/$AZ_ACCOUNT?comp=list"; then say "Azure (Azurite): answers on http://127.0.0.1:$AZURITE_PORT"; else say "Azure: no answer"; rc=1; fi
  return $rc
}

cmd_env() {
  [ -f "$STATE/env" ] || die "no env file: run scripts/servers.sh start first"
  sed 's/^/export /' "$STATE/env"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) stop_all; rm -f "$STATE/env"; say "stopped" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
