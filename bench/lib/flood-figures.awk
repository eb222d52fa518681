# bench/lib/flood-figures.awk - bench/flood's arithmetic on one target's counts; reads no input, every count comes
# as -v NAME=VALUE (bench/flood --self-test checks it against fixed figures):
#
#   planned ok_alone ok_flood      legitimate calls planned per phase; answered alone; answered during the flood
#   sent answered                  flooder INVITEs sent; answered (any response at all)
#   ticks_alone ticks_flood hz window   CPU ticks of the edge's processes over each phase's window of WINDOW s
#   rss0 pss0 rss1 pss1            KiB: as the flood starts; the highest sample during it
#
# Prints one line: legit_alone_% legit_flood_% legit_verdict flood_% flood_verdict dropped cpu_alone_%core
# cpu_flood_%core cpu_us_per_dropped rss0_MiB rss1_MiB pss0_MiB pss1_MiB ("-" where a divisor is 0). The verdicts
# are on the exact counts, not the rounded percentages: PASS when at least 99 % of the legitimate calls were answered
# during the flood, and when fewer than 10 % of the flooder's INVITEs were. CPU per dropped INVITE is the edge's CPU
# beyond the legitimate-only phase (same window, same legitimate load) over the INVITEs that got no answer, in µs
# (= ms per 1,000 dropped); it is negative when the host's noise outweighed the flood.
function pct(a, b) { return b > 0 ? sprintf("%.2f", 100 * a / b) : "-" }
function mib(k) { return sprintf("%.1f", k / 1024) }
function core(t) { return hz > 0 && window > 0 ? sprintf("%.1f", 100 * t / hz / window) : "-" }
BEGIN {
  dropped = sent - answered
  legit_ok = planned > 0 && 100 * ok_flood >= 99 * planned
  flood_ok = sent > 0 && 100 * answered < 10 * sent
  us = dropped > 0 && hz > 0 ? sprintf("%.1f", (ticks_flood - ticks_alone) / hz * 1e6 / dropped) : "-"
  print pct(ok_alone, planned), pct(ok_flood, planned), (legit_ok ? "PASS" : "FAIL"), pct(answered, sent),
    (flood_ok ? "PASS" : "FAIL"), dropped, core(ticks_alone), core(ticks_flood), us, mib(rss0), mib(rss1), mib(pss0),
    mib(pss1)
}
