using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Every call outcome with real calls, sipp caller → CallControl (edge → dialog grain → edge) → sipp callee, over
/// UDP and over TCP, with the CDR of each call checked field by field. Runs against the embedded default
/// (<see cref="NodeCallOutcomeTests"/>) and against the real cluster: PostgreSQL, Redis, two silos, one edge
/// (<see cref="ClusterCallOutcomeTests"/>).
/// </summary>
public abstract class CallOutcomeTests : IDisposable
{
    private const int Calls = 3;
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-sipp-").FullName;

    /// <summary>Where callers send their INVITEs for this transport.</summary>
    private protected abstract int EntryPort(string transport);

    /// <summary>Where the call's callee listens for this transport.</summary>
    private protected abstract int CalleePort(string transport);

    /// <summary>The number to dial so the call reaches that callee.</summary>
    private protected abstract string Dialled(string transport);

    /// <summary>The route the CDR names.</summary>
    private protected abstract string Route(string transport);

    private protected abstract Task<IReadOnlyList<CallDetailRecord>> CdrsForAsync(string transport, string prefix);

    private protected abstract string Diagnostics(string transport);

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_basic_call_is_answered_relayed_and_billed(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "uas", caller: "uac", prefix: $"basic-{transport}-", "-d", "1200");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Answered, cdr.Disposition);
            Assert.Equal(200, cdr.FinalStatus);
            Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
            Assert.NotNull(cdr.AnswerTime);
            var held = cdr.EndTime - cdr.AnswerTime!.Value;
            Assert.True(held >= TimeSpan.FromSeconds(1.1), $"held {held}");
            Assert.Equal((long)Math.Ceiling(held.TotalSeconds), cdr.BillableSeconds);
            Assert.Contains($":{CalleePort(transport)}", cdr.CalleeRouted, StringComparison.Ordinal);
            Assert.Equal(Route(transport), cdr.Route);
            Assert.StartsWith($"sip:{Dialled(transport)}@", cdr.CalleeDialled, StringComparison.Ordinal);
            Assert.StartsWith("sip:sipp@127.0.0.1", cdr.Caller, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_busy_callee_is_relayed_and_not_billed(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "busy-uas.xml", caller: "busy-uac.xml", prefix: $"busy-{transport}-");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Busy, cdr.Disposition);
            Assert.Equal(486, cdr.FinalStatus);
            Assert.Equal(HangupParty.None, cdr.HungUpBy);
            Assert.Null(cdr.AnswerTime);
            Assert.Equal(0, cdr.BillableSeconds);
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_caller_cancelling_while_ringing_cancels_the_callee(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "cancel-uas.xml", caller: "cancel-uac.xml", prefix: $"cancel-{transport}-");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Cancelled, cdr.Disposition);
            Assert.Equal(487, cdr.FinalStatus);
            Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
            Assert.Null(cdr.AnswerTime);
            Assert.Equal(0, cdr.BillableSeconds);
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_callee_hanging_up_first_ends_the_caller_leg(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "callee-bye-uas.xml", caller: "callee-bye-uac.xml", prefix: $"calleebye-{transport}-");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Answered, cdr.Disposition);
            Assert.Equal(200, cdr.FinalStatus);
            Assert.Equal(HangupParty.Callee, cdr.HungUpBy);
            Assert.NotNull(cdr.AnswerTime);
            Assert.True(cdr.BillableSeconds >= 1);
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_callee_that_never_answers_is_cancelled_at_the_ring_timeout(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "ring-forever-uas.xml", caller: "noanswer-uac.xml", prefix: $"noanswer-{transport}-");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.NoAnswer, cdr.Disposition);
            Assert.Equal(480, cdr.FinalStatus);
            Assert.Equal(HangupParty.System, cdr.HungUpBy);
            Assert.Equal(0, cdr.BillableSeconds);
            var rang = cdr.EndTime - cdr.InviteTime;
            Assert.True(rang >= TimeSpan.FromSeconds(2.9) && rang < TimeSpan.FromSeconds(10), $"rang {rang}");
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task An_answered_call_is_hung_up_on_both_legs_at_the_maximum_duration(string transport)
    {
        // The caller holds until a BYE comes (callee-bye-uac.xml); the callee (built-in uas) too: both get the system's BYE.
        var cdrs = await RunAsync(transport, callee: "uas", caller: "callee-bye-uac.xml", prefix: $"maxduration-{transport}-");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Answered, cdr.Disposition);
            Assert.Equal(HangupParty.System, cdr.HungUpBy);
            var held = cdr.EndTime - cdr.AnswerTime!.Value;
            Assert.True(held >= TimeSpan.FromSeconds(3.9) && held < TimeSpan.FromSeconds(10), $"held {held}");
            Assert.Equal((long)Math.Ceiling(held.TotalSeconds), cdr.BillableSeconds);
        });
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Reliable_early_media_is_prack_ed_across_the_legs(string transport)
    {
        // 183 with SDP, Require: 100rel and RSeq from the callee; the caller's PRACK reaches it with the callee's RSeq.
        var cdrs = await RunAsync(transport, callee: "prack-uas.xml", caller: "prack-uac.xml", prefix: $"prack-{transport}-");

        Assert.All(cdrs, cdr => Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy)));
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Re_invite_info_and_update_are_relayed_in_transactions_of_their_own(string transport)
    {
        var cdrs = await RunAsync(transport, callee: "indialog-uas.xml", caller: "indialog-uac.xml", prefix: $"indialog-{transport}-");

        Assert.All(cdrs, cdr => Assert.Equal((CallDisposition.Answered, 200), (cdr.Disposition, cdr.FinalStatus)));
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_forking_callee_with_early_media_is_answered_on_the_fork_that_sent_the_200(string transport)
    {
        // 180 from fork-a, 183 with SDP and 200 from fork-b: the ACK and the BYE must reach fork-b.
        var cdrs = await RunAsync(transport, callee: "fork-uas.xml", caller: "fork-uac.xml", prefix: $"fork-{transport}-");

        Assert.All(cdrs, cdr => Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy)));
    }

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs <see cref="Calls"/> calls and returns their CDRs. Both sipp sides must exit 0 (every call as the
    /// scenario expects), and there must be exactly one CDR per call, each with a distinct Call-ID.
    /// </summary>
    private async Task<IReadOnlyList<CallDetailRecord>> RunAsync(string transport, string callee, string caller, string prefix, params string[] callerExtra)
    {
        await using var calleeProcess = await Sipp.StartCalleeAsync(callee, transport, CalleePort(transport), Calls, _work);
        var (callerExit, callerOutput) = await Sipp.RunCallerAsync(caller, transport, EntryPort(transport), Calls, rate: 5, prefix, _work, ["-s", Dialled(transport), .. callerExtra]);
        var calleeExit = await calleeProcess.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(callerExit == 0, $"caller exit {callerExit}\n{callerOutput}\nCallControl:\n{Diagnostics(transport)}");
        Assert.True(calleeExit == 0, $"callee exit {calleeExit}\n{calleeProcess.Output}");

        // The CDR is written before the last message of a call goes out, so it is there when sipp exits.
        var cdrs = await CdrsForAsync(transport, prefix);
        Assert.Equal(Calls, cdrs.Count);
        Assert.Equal(Calls, cdrs.Select(c => c.CallId).Distinct().Count());
        Assert.All(cdrs, cdr =>
        {
            Assert.True(cdr.EndTime >= cdr.InviteTime);
            Assert.False(string.IsNullOrEmpty(cdr.Edge));
            Assert.False(string.IsNullOrEmpty(cdr.Silo));
        });
        return cdrs;
    }
}

/// <summary>The outcomes on the embedded default: one node per callee transport, CDRs in its JSON-lines log.</summary>
[Collection(NodesCollection.Name)]
public sealed class NodeCallOutcomeTests(NodesFixture nodes) : CallOutcomeTests
{
    private protected override int EntryPort(string transport) => nodes.Node(transport).SipPort;

    private protected override int CalleePort(string transport) => nodes.CalleePort(transport);

    private protected override string Dialled(string transport) => "1000";

    private protected override string Route(string transport) => "default";

    private protected override Task<IReadOnlyList<CallDetailRecord>> CdrsForAsync(string transport, string prefix) => Task.FromResult(nodes.Node(transport).CdrsFor(prefix));

    private protected override string Diagnostics(string transport) => nodes.Node(transport).Output;
}

/// <summary>
/// The outcomes on the real cluster (PostgreSQL, Redis, two silos, one edge): the UDP callee is the default target,
/// the TCP callee a dial-plan route; CDRs from table cdr.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterCallOutcomeTests(ClusterFixture fixture) : CallOutcomeTests
{
    private protected override int EntryPort(string transport) => fixture.Cluster.SipPort;

    private protected override int CalleePort(string transport) => transport == "tcp" ? fixture.TcpCalleePort : fixture.CalleePort;

    private protected override string Dialled(string transport) => transport == "tcp" ? ClusterFixture.TcpPrefix + "000" : "1000";

    private protected override string Route(string transport) => transport == "tcp" ? "tcp-callee" : "default";

    private protected override Task<IReadOnlyList<CallDetailRecord>> CdrsForAsync(string transport, string prefix) => fixture.Cluster.CdrsForAsync(prefix);

    private protected override string Diagnostics(string transport) => fixture.Cluster.Logs();
}
