# The fault suite's edge-kill-ringing scenario (docs/reliability.md), sourced by scripts/faults, whose helpers and
# settings it uses (cluster, say, now, elapsed, whole, first_line, since, pids, rows, failed, work, root, rate,
# callee_port, detect_target): calls that ring and are never answered, edge 1 SIGKILLed while they ring. The ring
# timeout's messages (the caller's 480, the callee's CANCEL) of the calls edge 1 carried must still go out, through
# edge 2 (a timer's messages go through any live edge when the call's own is dead: IEdgeDirectory).

ringing_timeout=10   # s: CallControl:Calls:RingTimeout of the suite's silos when this scenario runs

# Before `cluster up`: a ring timeout short enough that the calls ringing at the fault reach it within the scenario.
# Held calls are answered in milliseconds, so the other scenarios do not notice it.
ringing_configure() { export CallControl__Calls__RingTimeout="00:00:$(printf %02d "$ringing_timeout")"; }

# Per-call events of a sipp log set ("CALL-ID EVENT EPOCH" lines) into one file.
ringing_events() { cat "$@" 2>/dev/null | awk 'NF >= 3 { print $1, $2, $NF }' || true; }

run_ringing_scenario() {
  local name=$1 dir="$work/$1"
  mkdir -p "$dir"
  # The fault comes while the first calls still ring (before their ring timeout); calls go on being placed for a
  # few seconds after it, through the balancer to whichever edge lives.
  local warm=$((ringing_timeout * 6 / 10)) after=5
  local calls=$((rate * (warm + after))) bound=$((warm + after + ringing_timeout + 180))
  scenario_at=$(now)
  say "---- $name: $rate calls/s that ring and are never answered (ring timeout ${ringing_timeout}s), edge 1 killed after ${warm}s"
  (cd "$dir" && exec timeout -s INT -k 10 "$bound" sipp -sf "$root/faults/ringing-uas.xml" -i 127.0.0.1 -p "$callee_port" -nostdin -trace_logs -trace_err >uas.out 2>&1) &
  pids+=($!); local uas=$!
  sleep 0.5   # no event for "sipp bound its socket"; the caller retransmits anyway
  (cd "$dir" && exec timeout -s INT -k 10 "$bound" sipp -sf "$root/faults/ringing-uac.xml" "127.0.0.1:$CALLCONTROL_SIP_PORT" -i 127.0.0.1 \
      -p $((callee_port + 1)) -s 1000 -r "$rate" -m "$calls" -l "$calls" -cid_str "faults-$name-%u-%p@%s" \
      -nostdin -trace_logs -trace_err -fd 1 -max_recv_loops 1000 >uac.out 2>&1) &
  pids+=($!); local uac=$!

  sleep "$warm"
  fault_at=$(now)
  local ringing; ringing=$(ringing_events "$dir"/ringing-uac_*_logs.log | awk -v f="$fault_at" '$2 == "rang" && $3 < f { r[$1] = 1 } $2 == "timedout" && $3 < f { delete r[$1] } END { print length(r) }')
  say "$name: fault with $ringing calls ringing"
  cluster signal edge-1 KILL
  detected="-"
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt 30 ]; do
    if ! cluster balancer-has edge-1 >/dev/null 2>&1; then detected=$(elapsed "$fault_at" "$(now)"); break; fi
    sleep 0.1
  done
  cluster wait-exit edge-1 120
  # Edge 1 stays dead until every call it carried has passed its ring timeout (and a dead edge's bounded try, 2 s):
  # a restarted edge 1 would announce itself under the same id and take its calls' messages again.
  local left; left=$(awk -v r="$ringing_timeout" -v a="$fault_at" -v n="$(now)" 'BEGIN { l = r + 4 - (n - a); print (l > 0 ? l : 0) }')
  sleep "$left"
  restored_at=$(now); cluster start edge-1 >&2
  local back; back=$(whole) || back="never"
  local whole_at; whole_at=$(now)
  say "$name: detected ${detected}s after the fault; whole again ${back}s after it was restored"

  wait "$uac" || true
  # The last 480 and its CANCEL leave together; the callee's log may trail the caller's by a moment (bounded).
  local deadline=$((SECONDS + 10))
  while [ "$SECONDS" -lt "$deadline" ]; do
    ringing_events "$dir"/ringing-uas_*_logs.log >"$dir/callee.log"
    [ "$(awk '$2 == "invited"' "$dir/callee.log" | wc -l)" -gt "$(awk '$2 == "cancelled"' "$dir/callee.log" | wc -l)" ] || break
    sleep 0.2
  done
  kill -INT "$uas" 2>/dev/null || true; wait "$uas" 2>/dev/null || true
  ringing_events "$dir"/ringing-uac_*_logs.log >"$dir/calls.log"
  ringing_events "$dir"/ringing-uas_*_logs.log >"$dir/callee.log"

  # Callers that rang and never got their 480; callees invited and never cancelled; calls sent during the fault that
  # never got a 480 (a 503, a timeout); every call's 480; rung calls without a CDR (each ends as no answer).
  local no480 nocancel refused total ok missing late rerouted
  no480=$(awk '$2 == "rang" { r[$1] = 1 } $2 == "timedout" { t[$1] = 1 } END { n = 0; for (c in r) if (!(c in t)) n++; print n }' "$dir/calls.log")
  nocancel=$(awk '$2 == "invited" { i[$1] = 1 } $2 == "cancelled" { c[$1] = 1 } END { n = 0; for (x in i) if (!(x in c)) n++; print n }' "$dir/callee.log")
  refused=$(awk -v f="$fault_at" -v w="$whole_at" '$2 == "sent" && $3 >= f && $3 <= w { s[$1] = 1 } $2 == "timedout" { t[$1] = 1 } END { n = 0; for (c in s) if (!(c in t)) n++; print n }' "$dir/calls.log")
  total=$(awk '$2 == "sent"' "$dir/calls.log" | wc -l)
  ok=$(awk '$2 == "timedout"' "$dir/calls.log" | wc -l)
  late=$(awk -v r="$ringing_timeout" '$2 == "sent" { s[$1] = $3 } $2 == "timedout" && ($1 in s) { l = $3 - s[$1] - r; if (l > m) m = l } END { printf "%.1f", m }' "$dir/calls.log")
  awk '$2 == "rang" { print $1 }' "$dir/calls.log" | sort -u >"$dir/rang.ids"
  cluster psql -qAtc "SELECT call_id FROM cdr WHERE call_id LIKE 'faults-$name-%'" | sort -u >"$dir/cdr.ids"
  missing=$(comm -23 "$dir/rang.ids" "$dir/cdr.ids" | wc -l)
  rerouted=$(cat "$CALLCONTROL_CLUSTER_DIR"/logs/silo-*.log 2>/dev/null | grep -c "faults-$name-.*timer messages sent through edge" || true)
  say "$name: the latest 480 came ${late}s after its ring timeout; $rerouted calls' timer messages went through another edge"

  # Silos some silo saw die during this scenario: none was touched, so any is a false suspicion.
  local suspects=0 line
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    awk -v s="$(since "$scenario_at" "$line")" 'BEGIN { exit !(s >= 0) }' && suspects=$((suspects + 1))
  done < <(grep -h -E "\(silo-[0-9]+\) is Dead" "$CALLCONTROL_CLUSTER_DIR"/logs/silo-*.log 2>/dev/null || true)

  # Column 4 is, for this row, callers that rang without getting their 480 / callees invited without their CANCEL.
  local row="| $name | $detected | $ringing | $no480 / $nocancel | $refused | $ok / $total | $missing / - | - | ${back} | $suspects | - |"
  rows+=("$row")
  echo "$row"
  if [ "$no480" -ne 0 ] || [ "$nocancel" -ne 0 ] || [ "$missing" -ne 0 ] || [ "$back" = never ] || [ "$suspects" -ne 0 ]; then
    failed=1; say "$name: FAILED (logs kept in .faults when CALLCONTROL_FAULTS_KEEP=1)"
  fi
  if [ "$detected" = "-" ] || awk -v d="$detected" -v t="$detect_target" 'BEGIN { exit !(d > t) }'; then
    failed=1; say "$name: edge 1's death was detected in ${detected}s (target ${detect_target}s)"
  fi
}
