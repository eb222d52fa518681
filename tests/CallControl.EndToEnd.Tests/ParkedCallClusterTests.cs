using System.Diagnostics;
using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Parked calls on the real cluster (PostgreSQL state and reminders, two silos; ParkAfter 1 s here): a call held past
/// ParkAfter registers its wake-up in table orleans_reminders and lets its activation go; its BYE reactivates it
/// (on either silo), which ends both legs, writes its CDR and deletes the reminder. Prints what parking adds to the BYE.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ParkedCallClusterTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40006 RTP/AVP 0\r\n";
    private const int Calls = 5;

    [Fact]
    public async Task A_parked_calls_bye_wakes_it_which_ends_both_legs_writes_its_cdr_and_deletes_its_wake_up()
    {
        using var callee = new UdpPhone(fixture.Cluster.SipPort);
        using var caller = new UdpPhone(fixture.Cluster.SipPort);
        var prefix = $"parked-{Guid.NewGuid():N}"[..15];
        var route = await fixture.Cluster.CliAsync("route", "add", "--name", prefix, "--prefix", "86", "--targets", $"sip:127.0.0.1:{callee.LocalPort}");
        Assert.True(route.Exit == 0, route.Output);

        var held = new List<double>();
        var parked = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            // One call ended at once (its activation still up), one after it parked: what the BYE costs each way.
            held.Add(await CallAsync(caller, callee, $"{prefix}-held-{i}", park: false));
            parked.Add(await CallAsync(caller, callee, $"{prefix}-park-{i}", park: true));
        }

        output.WriteLine($"BYE to its 200 at the caller, ms (median of {Calls}): held {Median(held):F1}, parked {Median(parked):F1}; "
            + $"held [{string.Join(", ", held.Select(Ms))}], parked [{string.Join(", ", parked.Select(Ms))}]");
        var cdrs = await fixture.Cluster.CdrsForAsync(prefix);
        Assert.Equal(2 * Calls, cdrs.Count);
        Assert.All(cdrs, cdr => Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy)));
        Assert.Equal(0L, await RemindersAsync(prefix));
        await fixture.Cluster.CliAsync("route", "remove", "--name", prefix);
    }

    /// <summary>Sets a call up, hangs it up (after it parked, if <paramref name="park"/>); returns the BYE's round trip in ms.</summary>
    private async Task<double> CallAsync(UdpPhone caller, UdpPhone callee, string callId, bool park)
    {
        await caller.SendAsync(Request(caller, SipMethod.Invite, $"sip:8600@127.0.0.1:{fixture.Cluster.SipPort}", callId, 1, toTag: null)
            .Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        var invite = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        await callee.SendAsync(SipResponses.Create(invite, 200, toTag: "callee").Add(HeaderId.Contact, $"<sip:callee@127.0.0.1:{callee.LocalPort}>")
            .Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        var ok = await NextFinalAsync(caller);
        Assert.Equal((200, callId), (ok.StatusCode, ok.CallId));
        await caller.SendAsync(InDialog(caller, SipMethod.Ack, callId, 1, ok));
        Assert.Equal(SipMethod.Ack, (await callee.ReceiveMessageAsync()).Method);
        if (park)
        {
            await EventuallyAsync(async () => await RemindersAsync(callId) == 1, "the call parks (its wake-up is registered)");
        }

        var clock = Stopwatch.StartNew();
        await caller.SendAsync(InDialog(caller, SipMethod.Bye, callId, 2, ok));
        var byeOk = await NextFinalAsync(caller);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.Equal((200, SipMethod.Bye), (byeOk.StatusCode, byeOk.CSeq.Method));
        var bye = await callee.ReceiveMessageAsync();
        Assert.Equal((SipMethod.Bye, "callee"), (bye.Method, bye.To.Tag));
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        Assert.Equal(0L, await RemindersAsync(callId)); // deleted before the ended state was written, so before the 200
        return elapsed;
    }

    private Task<long> RemindersAsync(string callIdPrefix)
        => fixture.Cluster.ScalarAsync<long>($"SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%{callIdPrefix}%'");

    private static async Task<SipMessage> NextFinalAsync(UdpPhone phone)
    {
        SipMessage message;
        do
        {
            message = await phone.ReceiveMessageAsync();
        }
        while (message.StatusCode is > 0 and < 200);

        return message;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Ms(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static byte[] InDialog(UdpPhone phone, SipMethod method, string callId, uint cseq, SipMessage ok)
        => Request(phone, method, Assert.Single(ok.Addresses(HeaderId.Contact)).Uri.ToString(), callId, cseq, ok.To.Tag).ToArray();

    private static SipMessageBuilder Request(UdpPhone phone, SipMethod method, string uri, string callId, uint cseq, string? toTag)
        => PhoneRequests.Build(method, uri, "UDP", phone.LocalPort, "parked-caller", callId, cseq, toTag, $"sip:caller@127.0.0.1:{phone.LocalPort}");
}
