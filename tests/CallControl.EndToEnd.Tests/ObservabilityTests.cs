using System.Net;

namespace CallControl.EndToEnd.Tests;

/// <summary>The node's HTTP port: liveness, readiness and the Prometheus scrape with the call and SIP metrics.</summary>
[Collection(NodesCollection.Name)]
public sealed class ObservabilityTests(NodesFixture nodes) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-metrics-").FullName;

    [Fact]
    public async Task Health_readiness_and_metrics_are_served_and_count_calls()
    {
        var node = nodes.Node("udp");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(20) };

        Assert.Equal("ok\n", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        await using var callee = await Infrastructure.Sipp.StartCalleeAsync("uas", "udp", nodes.CalleePort("udp"), calls: 1, _work);
        var (exit, output) = await Infrastructure.Sipp.RunCallerAsync("uac", "udp", node.SipPort, calls: 1, rate: 1, "metrics-", _work);
        Assert.True(exit == 0, output);
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("callcontrol_call_attempts_total", metrics, StringComparison.Ordinal);
        Assert.Matches("callcontrol_call_final_responses_total\\{[^}]*class=\"2xx\",code=\"200\"\\} [1-9]", metrics);
        Assert.Matches("callcontrol_call_setup_duration_seconds_count\\{[^}]*milestone=\"answer\"\\} [1-9]", metrics);
        Assert.Matches("callcontrol_sip_transactions_total\\{[^}]*kind=\"server\",method=\"INVITE\"\\} [1-9]", metrics);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
