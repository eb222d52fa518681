using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.FaultProbe.Media;

/// <summary>
/// The rtpengine-kill row's calls (scripts/faults, docs/reliability.md): <c>count</c> calls through the cluster to
/// <c>dialled</c> (a route to this probe's callee socket), each party streaming RTP every 20 ms; once all are up the
/// probe says so in a file (the shell then kills an rtpengine), holds them, answering the re-INVITEs that move their
/// media, hangs them up, and reports each call's longest silence during the hold and whether it was dropped.
/// </summary>
internal sealed class MediaCalls(IPEndPoint edge, int calleePort, string dialled)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public async Task<MediaReport> RunAsync(int count, TimeSpan hold, string readyFile, CancellationToken cancellationToken)
    {
        using var callee = new SipSocket(calleePort);
        var calls = new List<(SipSocket Socket, MediaLeg Caller, MediaLeg Callee, SipMessage Ok)>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                calls.Add(await PlaceAsync(callee, $"faults-media-{i}-{Guid.NewGuid():N}", (uint)(0x10000 + i)));
            }

            var held = Stopwatch.GetTimestamp();
            await File.WriteAllTextAsync(readyFile, $"{count} calls up\n", cancellationToken);
            using (var holding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                holding.CancelAfter(hold);
                await Task.WhenAll(calls.SelectMany(c => new[] { c.Caller.HoldAsync(holding.Token), c.Callee.HoldAsync(holding.Token) }));
            }

            // Media must flow at the end of the hold: a call whose media never came back is as good as dropped.
            var lastSecond = Stopwatch.GetTimestamp() - Stopwatch.Frequency;
            var flowing = calls.Select(c => c.Caller.Media.CountSince(lastSecond) > 10 && c.Callee.Media.CountSince(lastSecond) > 10).ToList();
            var gaps = calls.Select(c => Max(c.Caller.Media.LongestGapSince(held), c.Callee.Media.LongestGapSince(held))).ToList();
            var moved = calls.Select(c => c.Caller.Moves > 0 || c.Callee.Moves > 0).ToList();
            var dropped = new List<bool>();
            for (var i = 0; i < calls.Count; i++)
            {
                var (caller, answerer) = (calls[i].Caller, calls[i].Callee);
                dropped.Add(caller.Dropped || answerer.Dropped || caller.Unacknowledged + answerer.Unacknowledged > 0 || !flowing[i] || !await HangUpAsync(calls[i]));
            }

            return new MediaReport(count, moved.Count(m => m), dropped.Count(d => d),
                gaps.Where((_, i) => moved[i]).DefaultIfEmpty(TimeSpan.Zero).Max(),
                gaps.Where((_, i) => moved[i]).Select(g => g.TotalSeconds).DefaultIfEmpty(0).Average(),
                gaps.Where((_, i) => !moved[i]).DefaultIfEmpty(TimeSpan.Zero).Max());
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Caller.Dispose();
                call.Callee.Dispose();
                call.Socket.Dispose();
            }
        }
    }

    private async Task<(SipSocket, MediaLeg, MediaLeg, SipMessage)> PlaceAsync(SipSocket callee, string callId, uint ssrc)
    {
        var socket = new SipSocket();
        var caller = new MediaLeg(socket, callId, edge, "faults-caller", ssrc);
        await caller.SendAsync(Request(socket.Port, SipMethod.Invite, $"sip:{dialled}@{edge}", callId, 1, toTag: null, $"<sip:{dialled}@127.0.0.1>")
            .Body(Encoding.ASCII.GetBytes(caller.Sdp()), "application/sdp").ToArray());

        using var timeout = new CancellationTokenSource(Wait);
        var (invite, from) = await callee.NewCalls.Reader.ReadAsync(timeout.Token);
        var answerer = new MediaLeg(callee, invite.CallId, from, "faults-callee", ssrc | 0x8000_0000);
        await answerer.SendAsync(SipResponses.Create(invite, 200, toTag: "faults-callee")
            .Add(HeaderId.Contact, $"<sip:faults-callee@127.0.0.1:{callee.Port}>")
            .Body(Encoding.ASCII.GetBytes(answerer.Sdp()), "application/sdp").ToArray());

        var ok = await caller.NextAsync(m => m.StatusCode >= 200 && m.CSeq.Method == SipMethod.Invite, Wait);
        if (ok.StatusCode != 200)
        {
            throw new InvalidOperationException($"call {callId}: {ok.StatusCode} to the INVITE");
        }

        var target = ok.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : $"sip:{dialled}@{edge}";
        await caller.SendAsync(Request(socket.Port, SipMethod.Ack, target, callId, 1, ok.To.Tag, ok.GetHeader("To")!).ToArray());
        await answerer.NextAsync(m => m.Method == SipMethod.Ack, Wait);
        answerer.Media.SendTo(SdpText.Audio(Encoding.ASCII.GetString(invite.Body.Span)));
        caller.Media.SendTo(SdpText.Audio(Encoding.ASCII.GetString(ok.Body.Span)));
        return (socket, caller, answerer, ok);
    }

    /// <summary>The caller's BYE; true when the callee got it and the caller its 200.</summary>
    private static async Task<bool> HangUpAsync((SipSocket Socket, MediaLeg Caller, MediaLeg Callee, SipMessage Ok) call)
    {
        var target = call.Ok.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : throw new InvalidOperationException("no Contact in the 200");
        await call.Caller.SendAsync(Request(call.Socket.Port, SipMethod.Bye, target, call.Ok.CallId, 3, call.Ok.To.Tag, call.Ok.GetHeader("To")!).ToArray());
        try
        {
            var bye = await call.Callee.NextAsync(m => m.Method == SipMethod.Bye, Wait);
            await call.Callee.SendAsync(SipResponses.Simple(bye, 200)); // the callee's peer is where its INVITE came from
            return (await call.Caller.NextAsync(m => m.StatusCode >= 200 && m.CSeq.Method == SipMethod.Bye, Wait)).StatusCode == 200;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static SipMessageBuilder Request(int port, SipMethod method, string uri, string callId, uint cseq, string? toTag, string to)
        => SipMessageBuilder.Request(method, uri)
            .Add(HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-faults-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, "<sip:faults-caller@127.0.0.1>;tag=faults-caller")
            .Add(HeaderId.To, toTag is null ? to : to.Contains("tag=", StringComparison.Ordinal) ? to : $"{to};tag={toTag}")
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, string.Create(CultureInfo.InvariantCulture, $"{cseq} {method.Name()}"))
            .Add(HeaderId.Contact, $"<sip:faults-caller@127.0.0.1:{port}>");

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>What the rtpengine-kill row's calls went through.</summary>
/// <param name="Calls">Calls held.</param>
/// <param name="Moved">Calls whose media moved (a party got a re-INVITE).</param>
/// <param name="Dropped">Calls hung up by the network, without media at the end of the hold, with a re-INVITE's 2xx never acknowledged, or whose BYE failed.</param>
/// <param name="GapMax">The longest silence of a moved call during the hold.</param>
/// <param name="GapMeanSeconds">The moved calls' mean longest silence.</param>
/// <param name="UnmovedGapMax">The longest silence of a call that did not move.</param>
internal sealed record MediaReport(int Calls, int Moved, int Dropped, TimeSpan GapMax, double GapMeanSeconds, TimeSpan UnmovedGapMax)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"calls {Calls} moved {Moved} dropped {Dropped} gap_max {GapMax.TotalSeconds:F2} gap_mean {GapMeanSeconds:F2} unmoved_gap_max {UnmovedGapMax.TotalSeconds:F2}");
}
