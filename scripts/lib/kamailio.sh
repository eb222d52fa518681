# Shared by scripts/cluster (the SIP load balancer) and bench/run (the Kamailio baseline): start Kamailio so that
# the PID we record is Kamailio's own, and wait until it listens. Sourced, not run.

# kamailio_spawn LOG RUNDIR ARGS...: Kamailio in the foreground (-DD: no daemon fork, so $! is the main process,
# whose SIGTERM stops its workers too; -E: logs to LOG), with a runtime folder of its own (-Y) so nothing collides
# with a system Kamailio or another instance. Sets kamailio_pid.
kamailio_spawn() {
  local log=$1 rundir=$2
  shift 2
  mkdir -p "$rundir"
  nohup kamailio -DD -E -Y "$rundir" "$@" >"$log" 2>&1 </dev/null &
  kamailio_pid=$!
}

# wait_udp PORT PID SECONDS: until something listens on UDP 127.0.0.1:PORT (false when PID ended first, or at the
# deadline).
wait_udp() {
  local i st
  for ((i = 0; i < $3 * 10; i++)); do
    [[ -n $(ss -Hlun "sport = :$1" 2>/dev/null) ]] && return 0
    st=$(ps -o stat= -p "$2" 2>/dev/null || true)
    [[ -n $st && $st != Z* ]] || return 1
    sleep 0.1
  done
  return 1
}

# kamailio_edges CTLSOCKET: the balancer's view of its edges, one "set uri flags" line each (flags: A active,
# I inactive, P probing; dispatcher.list over the ctl socket).
kamailio_edges() {
  kamcmd -s "$1" dispatcher.list 2>/dev/null | awk '
    /ID:/ { set = $2 }
    /URI:/ { uri = $2 }
    /FLAGS:/ { print set, uri, $2 }'
}
