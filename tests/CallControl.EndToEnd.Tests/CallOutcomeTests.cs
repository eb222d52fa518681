using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Real calls through a running node, sipp caller → node (edge → dialog grain → edge) → sipp callee, over
/// UDP and over TCP, with the CDR of each call checked field by field.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class CallOutcomeTests(NodesFixture nodes) : IDisposable
{
    private const int Calls = 3;
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-sipp-").FullName;

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
            Assert.Contains($":{nodes.CalleePort(transport)}", cdr.CalleeRouted, StringComparison.Ordinal);
            Assert.Equal("default", cdr.Route);
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

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>
    /// Runs <see cref="Calls"/> calls and returns their CDRs. Both sipp sides must exit 0 (every call as the
    /// scenario expects), and there must be exactly one CDR per call, each with a distinct Call-ID.
    /// </summary>
    private async Task<IReadOnlyList<CallDetailRecord>> RunAsync(string transport, string callee, string caller, string prefix, params string[] callerExtra)
    {
        var node = nodes.Node(transport);
        await using var calleeProcess = await Sipp.StartCalleeAsync(callee, transport, nodes.CalleePort(transport), Calls, _work);
        var (callerExit, callerOutput) = await Sipp.RunCallerAsync(caller, transport, node.SipPort, Calls, rate: 5, prefix, _work, callerExtra);
        var calleeExit = await calleeProcess.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(callerExit == 0, $"caller exit {callerExit}\n{callerOutput}\nnode:\n{node.Output}");
        Assert.True(calleeExit == 0, $"callee exit {calleeExit}\n{calleeProcess.Output}");

        // The CDR is written before the last message of a call goes out, so it is there when sipp exits.
        var cdrs = node.CdrsFor(prefix);
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
