using System.Globalization;
using System.Text.RegularExpressions;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Redis down under a running silo: the silo stays ready (membership lives on in memory), and its failed table
/// operations show in callcontrol_membership_table_errors_total, which alert CallControlRedisErrors watches.
/// </summary>
public sealed partial class MembershipTableErrorsTests
{
    [Fact]
    public async Task A_silo_without_redis_stays_ready_and_counts_its_failed_membership_table_operations()
    {
        await using var cluster = await LocalCluster.UpAsync("sip:127.0.0.1:9", silos: 1, edges: 1);
        var port = int.Parse(HttpPort().Match(cluster.SiloLog(1)).Groups[1].Value, CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal(0, await ErrorsAsync(http));

        await cluster.ProcessAsync("stop", "redis");
        try
        {
            // The silo reads the table every 10 s (TableRefreshTimeout) and writes its heartbeat every 10 s: the
            // first failure shows within a refresh or two. No event to await from outside the process: poll, bounded.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (await ErrorsAsync(http) == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }

            Assert.True(await ErrorsAsync(http) > 0, "no membership table error counted in 60 s without Redis\n" + cluster.Logs());
            Assert.True((await http.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode, "the silo stopped being ready without Redis");
        }
        finally
        {
            await cluster.ProcessAsync("start", "redis");
        }
    }

    private static async Task<double> ErrorsAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return ErrorLine().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex HttpPort();

    [GeneratedRegex(@"^callcontrol_membership_table_errors_total\{[^}]*\} ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
