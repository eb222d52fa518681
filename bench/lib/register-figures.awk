# bench/lib/register-figures.awk - bench/register's arithmetic on one target's counts; reads no input, every count
# comes as -v NAME=VALUE (bench/register --self-test checks it against fixed figures):
#
#   ok1 ms1 ticks1 writes1      first pass: registrations that got their 200; wall time in ms; CPU ticks of the
#                               target's processes; PostgreSQL row writes (inserted + updated + deleted)
#   ok2 ms2 ticks2 writes2      the same for the refresh pass
#   pss0 pss1 hz                server PSS in KiB before the first pass and after it; clock ticks per second
#
# Prints one line: reg_per_s writes_per_reg cpu_ms_per_reg refresh_per_s writes_per_refresh cpu_ms_per_refresh
# bytes_per_binding ("-" where a divisor is 0). Rates are registrations (REGISTER, 401, REGISTER with credentials,
# 200) completed per second of the pass; memory is the server's PSS growth over the first pass per binding made.
function per(a, b, f) { return b > 0 ? sprintf(f, a / b) : "-" }
BEGIN {
  print per(ok1 * 1000, ms1, "%.0f"), per(writes1, ok1, "%.2f"), per(ticks1 * 1000 / (hz > 0 ? hz : 1), ok1, "%.3f"),
    per(ok2 * 1000, ms2, "%.0f"), per(writes2, ok2, "%.2f"), per(ticks2 * 1000 / (hz > 0 ? hz : 1), ok2, "%.3f"),
    per((pss1 - pss0) * 1024, ok1, "%.0f")
}
