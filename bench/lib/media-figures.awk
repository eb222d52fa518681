# bench/lib/media-figures.awk - bench/media's arithmetic and verdict. Input: a header line naming the columns, then
# lines of one target each (bench/media writes them; --self-test feeds fixed lines), whitespace-separated, "-" for
# unknown. A target may have several lines (one per round, and one with its setup times over every round): its counts
# are summed, and a setup time, rate or flag is taken from the line that has it.
#
#   target              cc-passthrough, cc-anchor, kam or kam-rtpengine
#   anchored            1 when the target anchors media on rtpengine (every call must make one session), else 0
#   planned ok failed   calls the caller was to place; completed; failed at the caller (summed)
#   uas_failed          calls failed at the callee (summed)
#   retrans             retransmissions sent by the caller and the callee (summed)
#   span_ms             ms from the first 200 to the last of a round (calls/s = (ok - 1) / span, over the rounds)
#   ticks rtpe_ticks    CPU ticks (utime + stime) of the server's processes; of rtpengine ("-": not running), which
#                       for a target that does not anchor is its idle cost (not added to the server's) (summed)
#   hz                  clock ticks per second
#   sessions open       rtpengine sessions ended (deleted) during the calls; open after them that were not before the
#                       target started, its warm-up included ("-": not running)
#   relayed             RTP/RTCP packets rtpengine relayed during the calls ("-": not running) (summed)
#   mean p50 p95        INVITE -> 200 at the caller, ms (bench/lib/media-rtt.awk: the mean resolves what sipp's 4 ms
#                       clock steps hide from the percentiles)
#   load                1-minute load average after the target (the highest of its lines)
#   warm_failed         calls of the warm-up that failed (summed; a column left out counts none)
#
# Prints two markdown tables: one row per target (calls, CPU ms per call of the server, of rtpengine and of both,
# setup latency, sessions, verdict), then the ratios measured in the same run: anchor ÷ passthrough of each server
# (cc-anchor ÷ cc-passthrough, kam-rtpengine ÷ kam) and CallControl ÷ Kamailio in each mode. Exits 1 when any
# target failed: a call not completed at either end (or one of the warm-up failed), or the sessions not what the mode
# makes (one per call when anchored, none otherwise, none left open).
function num(x) { return x != "-" && x != "" }
function per_call(t, n) { return num(t) && num(n) && n > 0 && hz > 0 ? t * 1000 / hz / n : "-" }
function fmt(x, f) { return x == "-" ? "-" : sprintf(f, x) }
function ratio(a, b) { return num(a) && num(b) && b > 0 ? sprintf("%.2f", a / b) : "-" }
function sum(a, b) { return num(a) && num(b) ? a + b : "-" }
BEGIN {
  split("planned ok failed uas_failed retrans ticks rtpe_ticks sessions open relayed warm_failed", summed, " ")
  split("anchored hz mean p50 p95", taken, " ")
}
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
NF == 0 { next }
{
  t = $col["target"]
  if (!(t in seen)) { seen[t] = 1; order[++n] = t; for (i in summed) v[t, summed[i]] = "-"; for (i in taken) v[t, taken[i]] = "-"; v[t, "load"] = "-" }
  for (i in summed) { x = summed[i] in col ? $col[summed[i]] : "-"; if (num(x)) v[t, summed[i]] = (num(v[t, summed[i]]) ? v[t, summed[i]] : 0) + x }
  for (i in taken) { x = $col[taken[i]]; if (num(x)) v[t, taken[i]] = x }
  x = $col["load"]; if (num(x) && (!num(v[t, "load"]) || x + 0 > v[t, "load"] + 0)) v[t, "load"] = x
  x = $col["span_ms"]; if (num(x) && x > 0 && $col["ok"] > 1) { span[t] += x; spanned[t] += $col["ok"] - 1 }
}
END {
  for (i = 1; i <= n; i++) {
    t = order[i]
    hz = v[t, "hz"]
    cpu[t] = per_call(v[t, "ticks"], v[t, "ok"])
    rcpu[t] = per_call(v[t, "rtpe_ticks"], v[t, "ok"])
    both[t] = v[t, "anchored"] == 1 ? sum(cpu[t], rcpu[t]) : cpu[t]
    cps[t] = span[t] > 0 ? spanned[t] * 1000 / span[t] : "-"
    why = ""
    if (v[t, "ok"] + 0 < v[t, "planned"] + 0) why = why sprintf(", %d of %d calls not completed", v[t, "planned"] - v[t, "ok"], v[t, "planned"])
    if (v[t, "failed"] + 0 > 0) why = why ", " v[t, "failed"] " failed at the caller"
    if (v[t, "uas_failed"] + 0 > 0) why = why ", " v[t, "uas_failed"] " failed at the callee"
    s = v[t, "sessions"]; o = v[t, "open"]
    if (v[t, "anchored"] == 1 && !num(s)) why = why ", no rtpengine statistics"
    else if (v[t, "anchored"] == 1 && s + 0 != v[t, "ok"] + 0) why = why ", " s " rtpengine sessions for " v[t, "ok"] " calls"
    else if (v[t, "anchored"] != 1 && num(s) && s + 0 != 0) why = why ", " s " rtpengine sessions without anchoring"
    if (num(o) && o + 0 != 0) why = why ", " o " rtpengine sessions left open"
    if (v[t, "warm_failed"] + 0 > 0) why = why ", " v[t, "warm_failed"] " warm-up calls failed"
    verdict[t] = why == "" ? "ok" : "FAIL: " substr(why, 3)
    if (why != "") bad++
  }
  print "| target | calls ok / planned | failed (caller / callee) | retransmissions | calls/s | CPU ms per call: server | rtpengine | server + rtpengine | INVITE→200 mean / p50 / p95 ms | rtpengine sessions ended (left open) | RTP packets relayed per call | load avg | verdict |"
  print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for (i = 1; i <= n; i++) {
    t = order[i]
    printf "| %s | %s / %s | %s / %s | %s | %s | %s | %s | %s | %s / %s / %s | %s (%s) | %s | %s | %s |\n", t, v[t, "ok"],
      v[t, "planned"], v[t, "failed"], v[t, "uas_failed"], v[t, "retrans"], fmt(cps[t], "%.0f"), fmt(cpu[t], "%.3f"),
      fmt(rcpu[t], "%.3f"), fmt(both[t], "%.3f"), v[t, "mean"], v[t, "p50"], v[t, "p95"], v[t, "sessions"], v[t, "open"],
      fmt(ratio(v[t, "relayed"], v[t, "ok"]), "%s"), v[t, "load"], verdict[t]
  }
  print ""
  print "| ratio (same run) | server CPU per call | server + rtpengine CPU per call | INVITE→200 mean | p50 | p95 |"
  print "| --- | ---: | ---: | ---: | ---: | ---: |"
  pairs = "cc-anchor cc-passthrough kam-rtpengine kam cc-anchor kam-rtpengine cc-passthrough kam"
  m = split(pairs, p, " ")
  for (i = 1; i < m; i += 2) {
    a = p[i]; b = p[i + 1]
    if (!(a in seen) || !(b in seen)) continue
    printf "| %s ÷ %s | %s | %s | %s | %s | %s |\n", a, b, ratio(cpu[a], cpu[b]), ratio(both[a], both[b]),
      ratio(v[a, "mean"], v[b, "mean"]), ratio(v[a, "p50"], v[b, "p50"]), ratio(v[a, "p95"], v[b, "p95"])
  }
  exit (bad > 0)
}
