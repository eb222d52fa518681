using CallControl.Grains;
using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>
/// Every input the classify step names, in every phase of the call: what goes out, and the phase after. A row reads
/// "in this phase, this happens: these messages, then this phase". Messages: a response's status, a request's method
/// and the leg it goes to ("BYE>callee"), in the order the call sends them. Its CDR is checked too: one once the call
/// has ended, none before.
/// </summary>
public sealed class PhaseTableTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    public static TheoryData<string, string, string, string> Rows => new()
    {
        // Idle: no INVITE yet. Only an INVITE starts something; other requests find no dialog.
        { "Idle", "InitialInvite", "INVITE>callee", "Calling" },
        { "Idle", "CallerAck", "", "None" },
        { "Idle", "CallerCancel", "481", "None" },
        { "Idle", "CallerBye", "481", "None" },
        { "Idle", "CallerPrack", "481", "None" },
        { "Idle", "CallerOptions", "481", "None" },
        { "Idle", "CallerRequest", "481", "None" },
        { "Idle", "CallerUnsupported", "481", "None" },
        { "Idle", "UnknownDialog", "481", "None" },
        { "Idle", "AckTimeout", "", "None" },
        { "Idle", "Timer", "", "None" },

        // Calling: the leg's INVITE is out, no provisional yet (a CANCEL waits for one, RFC 3261 §9.1, unless the INVITE
        // went out long enough ago that the provisional may have been lost for good: the ring timeout's).
        { "Calling", "InitialInvite", "", "Calling" },
        { "Calling", "CallerAck", "", "Calling" },
        { "Calling", "CallerCancel", "200 | 487", "Ended" },
        { "Calling", "CallerBye", "200 | 487", "Ended" },
        { "Calling", "CallerPrack", "481", "Calling" },
        { "Calling", "CallerOptions", "200", "Calling" },
        { "Calling", "CallerRequest", "491", "Calling" },
        { "Calling", "CallerUnsupported", "501", "Calling" },
        { "Calling", "LegProvisional", "180", "Early" },
        { "Calling", "LegSuccess", "ACK>callee | 200", "Answered" },
        { "Calling", "LegFailure", "486", "Ended" },
        { "Calling", "LegUnreachable", "408", "Ended" },
        { "Calling", "CalleeBye", "200 | 480", "Ended" },
        { "Calling", "CalleeAck", "", "Calling" },
        { "Calling", "CalleeOptions", "200", "Calling" },
        { "Calling", "CalleeRequest", "481", "Calling" },
        { "Calling", "CalleeUnsupported", "481", "Calling" },
        { "Calling", "UnknownDialog", "481", "Calling" },
        { "Calling", "AckTimeout", "", "Calling" },
        { "Calling", "Timer", "480 | CANCEL>callee", "Ended" },

        // Early: the leg rang; its CANCEL can go at once.
        { "Early", "InitialInvite", "", "Early" },
        { "Early", "CallerCancel", "200 | 487 | CANCEL>callee", "Ended" },
        { "Early", "CallerBye", "200 | 487 | CANCEL>callee", "Ended" },
        { "Early", "CallerPrack", "481", "Early" },
        { "Early", "CallerOptions", "200", "Early" },
        { "Early", "CallerRequest", "491", "Early" },
        { "Early", "LegProvisional", "180", "Early" },
        { "Early", "LegSuccess", "ACK>callee | 200", "Answered" },
        { "Early", "LegFailure", "486", "Ended" },
        { "Early", "LegUnreachable", "408", "Ended" },
        { "Early", "CalleeBye", "200 | 480", "Ended" },
        { "Early", "CalleeOptions", "200", "Early" },
        { "Early", "CalleeRequest", "481", "Early" },
        { "Early", "Timer", "480 | CANCEL>callee", "Ended" },

        // Accepted (RFC 6026): the 200 went to the caller, its ACK is awaited.
        { "Answered", "InitialInvite", "", "Answered" },
        { "Answered", "CallerAck", "", "Confirmed" },
        { "Answered", "CallerCancel", "200", "Answered" },
        { "Answered", "CallerBye", "200 | BYE>callee", "Ended" },
        { "Answered", "CallerPrack", "481", "Answered" },
        { "Answered", "CallerOptions", "200", "Answered" },
        { "Answered", "CallerRequest", "INFO>callee", "Answered" },
        { "Answered", "CallerUnsupported", "501", "Answered" },
        { "Answered", "LegProvisional", "", "Answered" },
        { "Answered", "LegSuccess", "ACK>callee", "Answered" },
        { "Answered", "LegFailure", "", "Answered" },
        { "Answered", "CalleeBye", "200 | BYE>caller", "Ended" },
        { "Answered", "CalleeAck", "", "Answered" },
        { "Answered", "CalleeOptions", "200", "Answered" },
        { "Answered", "CalleeRequest", "INFO>caller", "Answered" },
        { "Answered", "CalleeUnsupported", "501", "Answered" },
        { "Answered", "UnknownDialog", "481", "Answered" },
        { "Answered", "AckTimeout", "BYE>caller | BYE>callee", "Ended" },
        { "Answered", "Timer", "BYE>caller | BYE>callee", "Ended" },

        // Confirmed: the call is up.
        { "Confirmed", "InitialInvite", "", "Confirmed" },
        { "Confirmed", "CallerAck", "", "Confirmed" },
        { "Confirmed", "CallerCancel", "200", "Confirmed" },
        { "Confirmed", "CallerBye", "200 | BYE>callee", "Ended" },
        { "Confirmed", "CallerPrack", "481", "Confirmed" },
        { "Confirmed", "CallerOptions", "200", "Confirmed" },
        { "Confirmed", "CallerRequest", "INFO>callee", "Confirmed" },
        { "Confirmed", "CallerUnsupported", "501", "Confirmed" },
        { "Confirmed", "LegProvisional", "", "Confirmed" },
        { "Confirmed", "LegSuccess", "ACK>callee", "Confirmed" },
        { "Confirmed", "LegFailure", "", "Confirmed" },
        { "Confirmed", "CalleeBye", "200 | BYE>caller", "Ended" },
        { "Confirmed", "CalleeAck", "", "Confirmed" },
        { "Confirmed", "CalleeOptions", "200", "Confirmed" },
        { "Confirmed", "CalleeRequest", "INFO>caller", "Confirmed" },
        { "Confirmed", "CalleeUnsupported", "501", "Confirmed" },
        { "Confirmed", "UnknownDialog", "481", "Confirmed" },
        { "Confirmed", "AckTimeout", "", "Confirmed" },
        { "Confirmed", "Timer", "BYE>caller | BYE>callee", "Ended" },

        // Terminated: late messages are answered; nothing changes the call.
        { "Ended", "InitialInvite", "", "Ended" },
        { "Ended", "CallerAck", "", "Ended" },
        { "Ended", "CallerCancel", "200", "Ended" },
        { "Ended", "CallerBye", "200", "Ended" },
        { "Ended", "CallerPrack", "481", "Ended" },
        { "Ended", "CallerOptions", "200", "Ended" },
        { "Ended", "CallerRequest", "481", "Ended" },
        { "Ended", "CallerUnsupported", "501", "Ended" },
        { "Ended", "LegProvisional", "", "Ended" },
        { "Ended", "LegSuccess", "ACK>callee", "Ended" },
        { "Ended", "LegFailure", "", "Ended" },
        { "Ended", "CalleeBye", "200", "Ended" },
        { "Ended", "CalleeAck", "", "Ended" },
        { "Ended", "CalleeOptions", "200", "Ended" },
        { "Ended", "CalleeRequest", "481", "Ended" },
        { "Ended", "CalleeUnsupported", "501", "Ended" },
        { "Ended", "UnknownDialog", "481", "Ended" },
        { "Ended", "AckTimeout", "", "Ended" },
        { "Ended", "Timer", "", "Ended" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_input_in_each_phase(string phase, string input, string expected, string after)
    {
        var call = new CallScript(_calls, $"table-{phase}-{input}-{Guid.NewGuid():N}@127.0.0.1");
        await ReachAsync(call, phase);

        var commands = await SendAsync(call, input);

        Assert.Equal(expected, Describe(call, commands));
        Assert.All(commands.Where(c => c.Kind == SipCommandKind.Respond), c =>
        {
            // Each response names the server transaction it answers, so its edge need not parse it.
            var response = CallScript.Parse(c);
            Assert.Equal(new ServerTransactionId(response.TopVia.Branch!, response.TopVia.SentBy, response.CSeq.Method), c.Answers);
        });
        var state = _calls.Call(call.CallId).State;
        Assert.Equal(after, state.Phase.ToString());
        Assert.Equal(state.Phase == DialogPhase.Ended ? 1 : 0, _calls.Cdrs(call.CallId).Count);
    }

    private async Task ReachAsync(CallScript call, string phase)
    {
        if (phase == "Idle")
        {
            return;
        }

        if (phase is "Confirmed" or "Ended")
        {
            var ok = await call.AnswerAsync();
            if (phase == "Ended")
            {
                await call.CallerSendsAsync("BYE", 9, ok.To.Tag!);
            }
        }
        else
        {
            await call.InviteAsync();
            if (phase != "Calling")
            {
                await call.CalleeRespondsAsync(phase == "Early" ? 180 : 200);
            }
        }

        Assert.Equal(phase == "Calling" ? DialogPhase.Calling : Enum.Parse<DialogPhase>(phase), _calls.Call(call.CallId).State.Phase);
    }

    private async Task<SipCommand[]> SendAsync(CallScript call, string input)
    {
        var machine = _calls.Call(call.CallId);
        var tag = machine.State.CallerTag.Length > 0 ? machine.State.CallerTag : "nobody";
        return input switch
        {
            "InitialInvite" => await call.InviteAsync(),
            "CallerAck" => await call.CallerSendsAsync("ACK", 1, tag),
            "CallerCancel" => await call.CallerCancelsAsync(),
            "CallerBye" => await call.CallerSendsAsync("BYE", 2, tag),
            "CallerPrack" => await call.CallerSendsWithAsync("PRACK", 3, tag, "RAck: 1 1 INVITE"),
            "CallerOptions" => await call.CallerSendsAsync("OPTIONS", 4, tag),
            "CallerRequest" => await call.CallerSendsAsync("INFO", 5, tag),
            "CallerUnsupported" => await call.CallerSendsAsync("FROB", 6, tag),
            "LegProvisional" => await call.CalleeRespondsAsync(180),
            "LegSuccess" => await call.CalleeRespondsAsync(200),
            "LegFailure" => await call.CalleeRespondsAsync(486),
            "LegUnreachable" => await call.CalleeLegFailsAsync(transportError: false),
            "CalleeBye" => await call.CalleeSendsByeAsync(),
            "CalleeAck" => await call.CalleeSendsAsync("ACK", 1),
            "CalleeOptions" => await call.CalleeSendsAsync("OPTIONS", 2),
            "CalleeRequest" => await call.CalleeSendsAsync("INFO", 3),
            "CalleeUnsupported" => await call.CalleeSendsAsync("FROB", 4),
            "UnknownDialog" => await _calls.Call(call.CallId).OnRequest(new SipInbound(
                new CallScript(_calls, "no-such-call@127.0.0.1").CallerInviteBytes, CallScript.Caller, new EdgeInfo("edge-test", "127.0.0.1", 5060, 5060, 5061))),
            "AckTimeout" => await machine.OnAckTimeout(call.CallId, 1),
            "Timer" => CallDeadlines.Next(machine.State) is null ? await machine.RunAsync(TimerFired.Instance) : await _calls.TimerAsync(call.CallId),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, null),
        };
    }

    private static string Describe(CallScript call, SipCommand[] commands)
        => string.Join(" | ", commands.Select(c =>
        {
            var message = CallScript.Parse(c);
            return c.Kind == SipCommandKind.Respond
                ? message.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"{message.MethodName}>{(message.CallId == call.CallId ? "caller" : "callee")}";
        }));
}
