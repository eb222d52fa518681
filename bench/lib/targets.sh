# bench/lib/targets.sh - what bench/run and bench/flood share: the targets' ports, starting each target (Kamailio,
# its PostgreSQL, CallControl's embedded default, a scripts/cluster cluster) and stopping it by PID, the CPU and
# memory of a process tree, and our own bounded sipps. Sourced, not run, after scripts/lib/prereqs.sh and
# scripts/lib/kamailio.sh. The caller sets root (the repository), kam_cfg (the config start_kamailio runs), work (a
# temporary folder) and current (the target being measured: its files go to $work/$current), and runs stop_servers
# (and stop_tree for helpers of its own) in its EXIT trap.

pg_bin=/usr/lib/postgresql/15/bin
hz=$(getconf CLK_TCK)

# ------------------------------------------------------------------ ports (all on 127.0.0.1)
kam_port=25060          # Kamailio, both modes (one at a time)
kam_pg_port=25432       # PostgreSQL for Kamailio's dialogs
cc_sip=25160 cc_tls=25161 cc_silo=25111 cc_gateway=25130 cc_http=25180   # embedded default
cl_sip=25260 cl_tls=25261 cl_pg=25532 cl_redis=25379 cl_silo=25211 cl_gateway=25230 cl_http=25280
cl_edge_http=$((cl_http + 51))   # scripts/cluster: edge i listens on CALLCONTROL_HTTP_PORT + 50 + i
callee=sip:127.0.0.1:5090        # the ladder's sipp UAS (its port is fixed by the ladder)

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# ------------------------------------------------------------------ process bookkeeping
# Everything started here is recorded here, to be stopped by PID by the caller's EXIT trap (stop_servers).
kam_pid="" pg_pid="" pg_data="" cc_pid="" cluster_dir="" sipp_pids=() helper_pid=""

# alive PID: true while PID exists and is not a zombie waiting to be reaped.
alive() {
  local st
  st=$(ps -o stat= -p "$1" 2>/dev/null || true)
  [[ -n $st && $st != Z* ]]
}

# PIDs of the given processes and all their live descendants (one ps snapshot).
tree_pids() {
  ps -e -o pid=,ppid= | awk -v roots="$*" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) want[r[i]] = 1 }
    { parent[$1] = $2 }
    END {
      do { grew = 0; for (p in parent) if (!(p in want) && (parent[p] in want)) { want[p] = 1; grew = 1 } } while (grew)
      for (p in want) if (p in parent) print p
    }'
}

# stop_tree NAME SIGNAL SECONDS PID: signal PID, give it SECONDS to end, then KILL what is left of its tree
# (collected first, so children orphaned by a killed parent are not missed).
stop_tree() {
  local name=$1 sig=$2 secs=$3 pid=$4 pids i
  [[ -n $pid ]] || return 0
  pids=$(tree_pids "$pid")
  if alive "$pid"; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do alive "$pid" || break; sleep 0.1; done
  fi
  for p in $pids; do
    if alive "$p"; then say "$name: pid $p still running; killing"; kill -KILL "$p" 2>/dev/null || true; fi
  done
  wait "$pid" 2>/dev/null || true
}

stop_sipps() { local p; for p in "${sipp_pids[@]}"; do stop_tree sipp TERM 10 "$p"; done; sipp_pids=(); }
stop_kamailio() { [[ -z $kam_pid ]] || { stop_tree kamailio TERM 10 "$kam_pid"; kam_pid=""; }; }
stop_cc() { [[ -z $cc_pid ]] || { stop_tree cc-embedded TERM 30 "$cc_pid"; cc_pid=""; }; }

# PostgreSQL is a daemon (pg_ctl), not our child: SIGINT is its fast shutdown; then QUIT, then KILL.
stop_pg() {
  [[ -n $pg_pid ]] || return 0
  local pids i
  pids=$(tree_pids "$pg_pid")
  kill -INT "$pg_pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do alive "$pg_pid" || break; sleep 0.1; done
  alive "$pg_pid" && { kill -QUIT "$pg_pid" 2>/dev/null || true; sleep 2; }
  for p in $pids; do alive "$p" && kill -KILL "$p" 2>/dev/null || true; done
  pg_pid=""
  [[ -z $pg_data || -n ${BENCH_KEEP:-} ]] || rm -rf "$pg_data"
  pg_data=""
}

cluster_env() {
  echo CALLCONTROL_CLUSTER_DIR="$cluster_dir" CALLCONTROL_PG_PORT=$cl_pg CALLCONTROL_REDIS_PORT=$cl_redis \
    CALLCONTROL_SIP_PORT=$cl_sip CALLCONTROL_TLS_PORT=$cl_tls CALLCONTROL_SILO_PORT=$cl_silo \
    CALLCONTROL_GATEWAY_PORT=$cl_gateway CALLCONTROL_HTTP_PORT=$cl_http CALLCONTROL_DEFAULT_TARGET=$callee \
    CALLCONTROL_SKIP_BUILD=1
}

# scripts/cluster down stops what it started by the PIDs in its pids/ folder; whatever it leaves is killed here.
stop_cluster() {
  [[ -n $cluster_dir ]] || return 0
  # shellcheck disable=SC2046
  env $(cluster_env) timeout -k 10 120 "$root/scripts/cluster" down >>"$cluster_dir/bench-cluster.log" 2>&1 || true
  local f
  for f in "$cluster_dir"/pids/*.pid; do
    [[ -e $f ]] || continue
    stop_tree "$(basename "$f" .pid)" KILL 5 "$(cat "$f")"
    rm -f "$f"
  done
  [[ -n ${BENCH_KEEP:-} ]] || rm -rf "$cluster_dir/pg" "$cluster_dir/redis"
  cluster_dir=""
}

# stop_servers: every target process and sipp of ours that still runs, by PID.
stop_servers() { stop_sipps; stop_kamailio; stop_pg; stop_cc; stop_cluster; }

# ------------------------------------------------------------------ measuring
# CPU ticks (user + system, including reaped children) of the given processes' trees.
cpu_ticks() {
  local total=0 p s f
  for p in $(tree_pids "$@"); do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    # Field 2 (comm) may hold spaces: cut after its closing parenthesis, then utime is the 12th field left.
    read -ra f <<<"${s##*) }"
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$total"
}

# Proportional set size of the given processes' trees, bytes (shared pages split between sharers, so the sum
# over a multi-process server is its real footprint).
pss_bytes() {
  local total=0 p kb
  for p in $(tree_pids "$@"); do
    kb=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  echo $((total * 1024))
}

# The processes of the target that is up now (CPU and memory are charged to these).
target_pids() {
  local f
  [[ -z $kam_pid ]] || echo "$kam_pid"
  [[ -z $pg_pid ]] || echo "$pg_pid"
  [[ -z $cc_pid ]] || echo "$cc_pid"
  if [[ -n $cluster_dir ]]; then for f in "$cluster_dir"/pids/*.pid; do [[ -e $f ]] && cat "$f"; done; fi
  return 0
}

# ------------------------------------------------------------------ targets
# wait_udp (port pid seconds) and kamailio_spawn come from scripts/lib/kamailio.sh, shared with scripts/cluster.

wait_ready() { # url seconds: until the HTTP endpoint answers 2xx (CallControl's /readyz)
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -fsS -m 2 "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

start_kamailio() { # [extra -A definitions...]
  local log=$work/$current/kamailio.log
  kamailio_spawn "$log" "$work/$current/kam-run" -f "$kam_cfg" -m 512 -M 32 \
    -A "LISTEN=udp:127.0.0.1:$kam_port" -A "CTLSOCK=\"unix:$work/$current/kam-run/ctl\"" "$@"
  kam_pid=$kamailio_pid
  wait_udp "$kam_port" "$kam_pid" 30 || { tail -20 "$log" >&2; die "kamailio did not start"; }
  sleep 2   # the README's advice: let the workers start
  alive "$kam_pid" || { tail -20 "$log" >&2; die "kamailio exited"; }
  port=$kam_port
}

# A PostgreSQL 15 of our own for Kamailio's dialog table: Debian defaults (synchronous commits), as the
# cluster's, so kam-pg and cc-cluster write to the same kind of database.
start_pg_for_kamailio() {
  local base=$work/$current/pg url
  pg_data=$base/data
  install -d -o postgres -g postgres "$base" "$base/run"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U kamailio -E UTF8 >"$work/$current/initdb.log" 2>&1 \
    || { tail "$work/$current/initdb.log" >&2; die "initdb failed"; }
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$base/postgres.log" -w -t 60 \
    -o "-p $kam_pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base/run" start >/dev/null \
    || { tail "$base/postgres.log" >&2; die "postgres did not start"; }
  pg_pid=$(head -1 "$pg_data/postmaster.pid")
  url="host=127.0.0.1 port=$kam_pg_port user=kamailio"
  psql "$url dbname=postgres" -qc "CREATE DATABASE kamailio" >/dev/null
  psql "$url dbname=kamailio" -q -v ON_ERROR_STOP=1 -f /usr/share/kamailio/postgres/standard-create.sql \
    -f /usr/share/kamailio/postgres/dialog-create.sql >/dev/null
}

start_cc_embedded() {
  local dir=$work/$current
  mkdir -p "$dir"
  # The embedded default exactly as scripts/run starts it, moved to ports of its own; CDRs in the work dir.
  ( cd "$dir" && exec env CallControl__Edge__Port=$cc_sip CallControl__Edge__TlsPort=$cc_tls \
      CallControl__Silo__SiloPort=$cc_silo CallControl__Silo__GatewayPort=$cc_gateway CallControl__Http__Port=$cc_http \
      CallControl__Routing__DefaultTarget=$callee CallControl__Cdr__Path="$dir/cdr.jsonl" \
      dotnet "$root/src/Silo/bin/Release/net10.0/CallControl.Silo.dll" ) >"$dir/silo.log" 2>&1 </dev/null &
  cc_pid=$!
  wait_udp "$cc_sip" "$cc_pid" 120 || { tail -20 "$dir/silo.log" >&2; die "cc-embedded did not start"; }
  wait_ready "http://127.0.0.1:$cc_http/readyz" 60 || die "cc-embedded not ready"
  port=$cc_sip
}

start_cluster() { # silos
  cluster_dir=$work/$current/cluster
  mkdir -p "$cluster_dir"
  local rc=0
  # In the background and waited for, so that a signal (the smoke's deadline) is handled at once; whatever it
  # started before being stopped has a PID file, which stop_cluster reads.
  # shellcheck disable=SC2046
  env $(cluster_env) timeout -k 10 300 "$root/scripts/cluster" up --silos "$1" --edges 1 \
    >"$cluster_dir/bench-cluster.log" 2>&1 </dev/null &
  helper_pid=$!
  wait "$helper_pid" || rc=$?
  helper_pid=""
  (( rc == 0 )) || { tail -20 "$cluster_dir/bench-cluster.log" >&2; die "cluster did not start"; }
  wait_ready "http://127.0.0.1:$cl_edge_http/readyz" 60 || die "cluster edge not ready"
  port=$cl_sip
}

# ------------------------------------------------------------------ our own sipps
# sipp_bg NAME BOUND ARGS...: a sipp of ours sending from 127.0.0.1, in its own folder (it writes CSVs to the cwd),
# bounded by timeout(1). sipp_from ADDRESS NAME BOUND ARGS...: the same from another (loopback) address.
sipp_bg() { sipp_from 127.0.0.1 "$@"; }
sipp_from() {
  local ip=$1 name=$2 bound=$3; shift 3
  mkdir -p "$work/$current/$name"
  ( cd "$work/$current/$name" && exec timeout -s INT -k 10 "$bound" sipp "$@" -i "$ip" -nostdin \
      -trace_stat -fd 1 ) >"$work/$current/$name/out.txt" 2>&1 </dev/null &
  sipp_pids+=($!)
}

# Last value of a column of a sipp stat CSV.
sipp_stat() { # folder column
  local f; f=$(ls "$1"/*_.csv 2>/dev/null | head -n1 || true)
  [[ -n $f ]] || { echo 0; return; }
  awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { v = $k } END { print v + 0 }' "$f"
}

# first_file PATHS...: the first of the (glob-expanded) paths that exists; nothing when the glob matched none.
first_file() { local f; for f in "$@"; do if [[ -e $f ]]; then echo "$f"; return 0; fi; done; return 0; }

# The largest value of a cumulative column of the sipp stat CSV in FOLDER, which sipp may be writing right now:
# the maximum rather than the last line, so that a half-written last line cannot make a window go negative.
sipp_count() { # folder column
  local f; f=$(first_file "$1"/*_.csv)
  [[ -n $f ]] || { echo 0; return; }
  awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
    k && $k + 0 > m { m = $k + 0 } END { print m + 0 }' "$f"
}

# soak_mem PIDS...: RSS and PSS in KiB of the target's processes and all their descendants, split into the
# server (silos and edges, or Kamailio) and its stores (PostgreSQL's postmaster and backends, Redis):
# "server_rss server_pss store_rss store_pss". The stores are apart because PostgreSQL's RSS grows as its
# backends touch shared buffers, which is caching, not a leak; PSS splits those shared pages between them.
soak_mem() {
  local p comm rss pss s_rss=0 s_pss=0 d_rss=0 d_pss=0
  for p in $(tree_pids "$@"); do
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    read -r rss pss < <(awk '/^Rss:/ { r = $2 } /^Pss:/ { s = $2 } END { print r + 0, s + 0 }' \
      "/proc/$p/smaps_rollup" 2>/dev/null || true)
    case $comm in
      postgres|redis-server) d_rss=$((d_rss + ${rss:-0})) d_pss=$((d_pss + ${pss:-0})) ;;
      *) s_rss=$((s_rss + ${rss:-0})) s_pss=$((s_pss + ${pss:-0})) ;;
    esac
  done
  echo "$s_rss $s_pss $d_rss $d_pss"
}

# rtt_pct RTT FROM_MS TO_MS PCT: the PCT percentile (nearest rank, as the ladder's) of INVITE→200 times of the
# calls answered in [FROM, TO) ms of sipp's clock (-trace_rtt: Date_ms is when the 200 arrived, since that sipp
# started); "-" when none was.
rtt_pct() {
  [[ -s $1 ]] || { echo -; return; }
  awk -F';' -v a="$2" -v b="$3" 'NR > 1 && $3 == 1 && $1 + 0 >= a && $1 + 0 < b { print $2 + 0 }' "$1" | sort -n |
    awk -v p="$4" '{ v[NR] = $1 }
      END { if (NR == 0) { print "-"; exit } i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; print v[i] }'
}
