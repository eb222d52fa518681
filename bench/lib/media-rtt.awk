# bench/lib/media-rtt.awk - the setup times of one sipp caller: its -trace_rtt CSV (Date_ms;response_time_ms;rtd_no,
# one line a call answered; Date_ms when the 200 arrived) on stdin. Prints "span_ms mean_ms": the ms from the first
# 200 to the last ("-" with fewer than two) and the mean INVITE -> 200 ("-" with none). sipp reads a coarse clock
# (4 ms steps on this host: every time is 0, 4, 8, ... ms), so a percentile moves in 4 ms steps; the mean of many
# calls does not, since each call's rounding error is as likely up as down.
BEGIN { FS = ";" }
NR > 1 && $3 == 1 {
  t = $1 + 0; if (!n || t < first) first = t; if (t > last) last = t
  sum += $2; n++
}
END { print (n > 1 ? last - first : "-"), (n > 0 ? sprintf("%.2f", sum / n) : "-") }
