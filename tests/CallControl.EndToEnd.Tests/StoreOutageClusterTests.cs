using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Headers;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A PostgreSQL outage under a real cluster (one silo, one edge; scripts/cluster stop/start postgres): an answered call
/// held by sipp hangs up cleanly (200 to its BYE), a new call is refused with a 5xx and Retry-After, and once the
/// database is back the answered call's CDR is in table cdr exactly once.
/// </summary>
public sealed class StoreOutageClusterTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-outage-").FullName;
    private readonly int _calleePort = FreePorts.Next();
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{_calleePort}", silos: 1, edges: 1);

    [Fact]
    public async Task An_answered_call_hangs_up_cleanly_while_postgresql_is_down_and_its_cdr_is_written_once_when_it_is_back()
    {
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", _calleePort, calls: 1, _work);
        var caller = Sipp.RunCallerAsync("uac", "udp", _cluster.SipPort, calls: 1, rate: 1, "outage-", _work, "-d", "5000");

        // Answered: the grain wrote its state at the dial (version 1) and at the answer (version 2), before the 200.
        await EventuallyAsync(async () => await _cluster.ScalarAsync<long>(
            "SELECT count(*) FROM orleans_grain_state WHERE grain_id_ext LIKE 'outage-%' AND version >= 2") == 1, TimeSpan.FromSeconds(20), "the call is answered");
        await _cluster.StopPostgresAsync();
        try
        {
            // sipp hangs up after its 5 s pause and must get 200 to the BYE (exit code 0: every call succeeded).
            var (exit, output) = await caller;
            Assert.True(exit == 0, output + _cluster.Logs());
            Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

            var (status, retryAfter) = await NewCallAsync();

            // The grain's activation cannot read its state: the edge answers the failed grain call with 503 and
            // Retry-After (RFC 3261 §21.5.4), not a 200 and not a hang.
            Assert.True(status == 503, $"status {status}\n{_cluster.Logs()}");
            Assert.NotNull(retryAfter);
        }
        finally
        {
            await _cluster.StartPostgresAsync();
        }

        await EventuallyAsync(async () => _cluster.SiloLog(1).Contains("written from the outbox", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the outbox writes the CDR");
        await EventuallyAsync(async () => _cluster.SiloLog(1).Contains("the store is back", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the call's ended state is written");
        foreach (var line in _cluster.SiloLog(1).Split('\n').Where(l => l.Contains("outbox", StringComparison.Ordinal) || l.Contains("store is", StringComparison.Ordinal)))
        {
            output.WriteLine(line); // what the silo saw of the outage: the failures it classified, and the recovery
        }

        var cdr = Assert.Single(await _cluster.CdrsForAsync("outage-"));
        Assert.Equal(Grains.CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(Grains.HangupParty.Caller, cdr.HungUpBy);
        Assert.True(cdr.BillableSeconds >= 5, $"billed {cdr.BillableSeconds}");
    }

    /// <summary>An INVITE from a plain UDP phone: its final status and Retry-After (the final response is ACKed).</summary>
    private async Task<(int Status, string? RetryAfter)> NewCallAsync()
    {
        using var phone = new UdpPhone(_cluster.SipPort);
        var callId = $"outage-new-{Guid.NewGuid():N}@127.0.0.1";
        string Request(string method, string branch) => $"{method} sip:1000@127.0.0.1:{_cluster.SipPort} SIP/2.0\r\n"
            + $"Via: SIP/2.0/UDP 127.0.0.1:{phone.LocalPort};branch={branch}\r\nMax-Forwards: 70\r\n"
            + $"From: <sip:carol@127.0.0.1:{phone.LocalPort}>;tag=carol\r\nTo: <sip:1000@127.0.0.1>\r\nCall-ID: {callId}\r\n"
            + $"CSeq: 1 {method}\r\nContact: <sip:carol@127.0.0.1:{phone.LocalPort}>\r\nContent-Length: 0\r\n\r\n";
        await phone.SendAsync(Encoding.ASCII.GetBytes(Request("INVITE", "z9hG4bK-outage-new")));
        while (true)
        {
            var response = await phone.ReceiveMessageAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (response.StatusCode >= 200)
            {
                await phone.SendAsync(Encoding.ASCII.GetBytes(Request("ACK", "z9hG4bK-outage-new").Replace("tag=carol\r\nTo: <sip:1000@127.0.0.1>",
                    $"tag=carol\r\nTo: <sip:1000@127.0.0.1>;tag={response.To.Tag}", StringComparison.Ordinal)));
                return (response.StatusCode, response.GetHeader(HeaderId.RetryAfter));
            }
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
