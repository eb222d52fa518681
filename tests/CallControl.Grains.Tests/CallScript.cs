using CallControl.Calls;
using System.Text;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>
/// Plays one call's messages into its dialog (a grain in a test cluster, or a machine in-process: see the other
/// part of this class in each test project) as an edge would, and keeps what the call sent.
/// </summary>
internal sealed partial class CallScript(IDialogGrain grain, string callId, bool withOffer, IEdgeObserver? observer, string dialled, string extraInviteHeaders, EdgeInfo? edge)
{
    private readonly EdgeInfo _edge = edge ?? new("edge-test", "127.0.0.1", 5060, 5060, 5061, observer);

    public static readonly SipPeer Caller = new(SipTransportKind.Udp, "127.0.0.1", 5070);
    public static readonly SipPeer Callee = new(SipTransportKind.Udp, "127.0.0.1", 5090);

    private IDialogGrain Grain => grain;

    public string CallId => callId;

    /// <summary>The INVITE the grain sent to the callee (after <see cref="InviteAsync"/>; the first, when it rang several).</summary>
    public SipMessage? CalleeInvite { get; private set; }

    /// <summary>Every INVITE the grain sent for the caller's (one per leg rung in parallel).</summary>
    public IReadOnlyList<SipMessage> CalleeInvites { get; private set; } = [];

    /// <summary>The offer in the caller's INVITE when it has one (LF line ends go as CRLF).</summary>
    public string CallerOffer { get; init; } = "v=0\no=x\ns=";

    public byte[] CallerInviteBytes => Bytes($"""
        INVITE sip:{dialled}@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-caller-1
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=alice-tag
        To: <sip:1000@127.0.0.1:5060>
        Call-ID: {callId}
        CSeq: 1 INVITE
        Contact: <sip:alice@127.0.0.1:5070>{(extraInviteHeaders.Length > 0 ? "\n" + extraInviteHeaders : "")}
        {(withOffer ? $"Content-Type: application/sdp\nContent-Length: {Bytes(CallerOffer).Length}\n\n{CallerOffer}" : "Content-Length: 0\n\n")}
        """);

    public async Task<SipCommand[]> InviteAsync()
    {
        var commands = await Grain.OnRequest(new SipInbound(CallerInviteBytes, Caller, _edge));
        CalleeInvites = [.. commands.Where(c => c.Kind == SipCommandKind.Request).Select(c => SipParser.ParseTrusted(c.Message))];
        CalleeInvite = CalleeInvites.Count > 0 ? CalleeInvites[0] : null;
        return commands;
    }

    /// <summary>Sets the call up to answered: INVITE, the callee's 200, the caller's ACK. Returns the 200 the caller got.</summary>
    public async Task<SipMessage> AnswerAsync()
    {
        await InviteAsync();
        var ok = Parse((await CalleeRespondsAsync(200))[1]);
        await CallerSendsAsync("ACK", 1, ok.To.Tag!);
        return ok;
    }

    /// <summary>Takes the callee-leg INVITE from commands (a failover opens a new leg), as the current one.</summary>
    public SipMessage TakeCalleeInvite(SipCommand[] commands)
    {
        CalleeInvite = SipParser.ParseTrusted(commands.Single(c => c.Kind == SipCommandKind.Request).Message);
        return CalleeInvite;
    }

    /// <summary>The grain's view of a failed callee INVITE (timeout or transport error).</summary>
    public Task<SipCommand[]> CalleeLegFailsAsync(bool transportError)
        => Grain.OnClientFailure(new ClientFailure(CalleeInvite!.CallId, CalleeInvite.CSeq.Number, "INVITE", transportError));

    public Task<SipCommand[]> CalleeRespondsAsync(int status, string toTag = "bob-tag", string? contact = "<sip:bob@127.0.0.1:5090>")
        => LegRespondsAsync(CalleeInvite!, status, toTag, contact);

    /// <summary>The callee's response to its INVITE with an SDP body (an answer, or a late offer's offer).</summary>
    public Task<SipCommand[]> CalleeRespondsWithSdpAsync(int status, string sdp, string toTag = "bob-tag")
        => LegRespondsWithBodyAsync(CalleeInvite!, status, toTag, "<sip:bob@127.0.0.1:5090>", sdp);

    /// <summary>A response to one leg's INVITE, optionally with extra headers ("RSeq: 1", ...).</summary>
    public Task<SipCommand[]> LegRespondsAsync(SipMessage legInvite, int status, string toTag = "bob-tag", string? contact = "<sip:bob@127.0.0.1:5090>", params (string Name, string Value)[] headers)
        => LegRespondsWithBodyAsync(legInvite, status, toTag, contact, sdp: null, headers);

    /// <summary>A response to one leg's INVITE with an SDP body and extra headers (a reliable provisional's offer: "Require", "RSeq").</summary>
    public Task<SipCommand[]> LegRespondsWithSdpAsync(SipMessage legInvite, int status, string toTag, string sdp, params (string Name, string Value)[] headers)
        => LegRespondsWithBodyAsync(legInvite, status, toTag, "<sip:bob@127.0.0.1:5090>", sdp, headers);

    private Task<SipCommand[]> LegRespondsWithBodyAsync(SipMessage legInvite, int status, string toTag, string? contact, string? sdp, params (string Name, string Value)[] headers)
    {
        var builder = SipResponses.Create(legInvite, status, toTag: toTag);
        if (contact is not null && status is > 100 and < 300)
        {
            builder.Add(Sip.Headers.HeaderId.Contact, contact);
        }

        foreach (var (name, value) in headers)
        {
            builder.Add(name, value);
        }

        if (sdp is not null)
        {
            builder.Body(Encoding.ASCII.GetBytes(sdp), "application/sdp");
        }

        return Grain.OnResponse(new SipInbound(builder.ToArray(), Callee, _edge));
    }

    /// <summary>A leg's INVITE got no final response (timeout) or could not be sent.</summary>
    public Task<SipCommand[]> LegFailsAsync(SipMessage legInvite, bool transportError)
        => Grain.OnClientFailure(new ClientFailure(legInvite.CallId, legInvite.CSeq.Number, "INVITE", transportError));

    /// <summary>A request from the caller with extra header lines (e.g. "RAck: 1 1 INVITE").</summary>
    public Task<SipCommand[]> CallerSendsWithAsync(string method, uint cseq, string toTag, params string[] headerLines)
        => CallerSendsWithBodyAsync(method, cseq, toTag, "", headerLines);

    /// <summary>As <see cref="CallerSendsWithAsync"/>, with an SDP body when <paramref name="body"/> is not empty (a PRACK's answer).</summary>
    public Task<SipCommand[]> CallerSendsWithBodyAsync(string method, uint cseq, string toTag, string body, params string[] headerLines)
        => Grain.OnRequest(new SipInbound(Bytes($"""
            {method} sip:edge@127.0.0.1:5060 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-caller-{method}-{cseq}
            Max-Forwards: 70
            From: "Alice" <sip:alice@127.0.0.1:5070>;tag=alice-tag
            To: <sip:1000@127.0.0.1:5060>;tag={toTag}
            Call-ID: {callId}
            CSeq: {cseq} {method}
            {(headerLines.Length > 0 ? string.Join("\n", headerLines) + "\n" : "")}{(body.Length > 0 ? $"Content-Type: application/sdp\nContent-Length: {body.Length}\n\n{body}" : "Content-Length: 0\n\n")}
            """), Caller, _edge));

    public Task<SipCommand[]> CallerSendsAsync(string method, uint cseq, string toTag, string body = "")
        => Grain.OnRequest(new SipInbound(Bytes($"""
            {method} sip:edge@127.0.0.1:5060 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-caller-{method}-{cseq}
            Max-Forwards: 70
            From: "Alice" <sip:alice@127.0.0.1:5070>;tag=alice-tag
            To: <sip:1000@127.0.0.1:5060>{(toTag.Length > 0 ? ";tag=" + toTag : "")}
            Call-ID: {callId}
            CSeq: {cseq} {method}
            {(body.Length > 0 ? $"Content-Type: application/sdp\nContent-Length: {body.Length}\n\n{body}" : "Content-Length: 0\n\n")}
            """), Caller, _edge));

    /// <summary>A response on the callee leg to a request the grain sent there (a 401 or 407 with <paramref name="challenge"/>).</summary>
    public Task<SipCommand[]> CalleeAnswersAsync(SipMessage request, int status, string body = "", string? challenge = null)
    {
        var builder = SipResponses.Create(request, status).Add(Sip.Headers.HeaderId.Contact, "<sip:bob@127.0.0.1:5090>");
        if (challenge is not null)
        {
            builder.Add(status == 407 ? Sip.Headers.HeaderId.ProxyAuthenticate : Sip.Headers.HeaderId.WwwAuthenticate, challenge);
        }

        if (body.Length > 0)
        {
            builder.Body(Encoding.ASCII.GetBytes(body), "application/sdp");
        }

        return Grain.OnResponse(new SipInbound(builder.ToArray(), Callee, _edge));
    }

    /// <summary>A response on the caller leg to a request the grain sent there.</summary>
    public Task<SipCommand[]> CallerAnswersAsync(SipMessage request, int status)
        => Grain.OnResponse(new SipInbound(SipResponses.Simple(request, status), Caller, _edge));

    /// <summary>An in-dialog request from the callee (From = the INVITE's To with the callee's tag).</summary>
    public Task<SipCommand[]> CalleeSendsAsync(string method, uint cseq, string body = "", string contentType = "application/dtmf-relay")
    {
        var invite = CalleeInvite!;
        var builder = SipMessageBuilder.Request(method, "sip:edge@127.0.0.1:5060")
            .Add(Sip.Headers.HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-callee-{method}-{cseq}")
            .Add(Sip.Headers.HeaderId.From, $"{Encoding.UTF8.GetString(invite.RawValue(Sip.Headers.HeaderId.To))};tag=bob-tag")
            .AddRaw(Sip.Headers.HeaderId.To, invite.RawValue(Sip.Headers.HeaderId.From))
            .Add(Sip.Headers.HeaderId.CallId, invite.CallId)
            .Add(Sip.Headers.HeaderId.CSeq, $"{cseq} {method}");
        if (body.Length > 0)
        {
            builder.Body(Encoding.ASCII.GetBytes(body), contentType);
        }

        return Grain.OnRequest(new SipInbound(builder.ToArray(), Callee, _edge));
    }

    /// <summary>The caller's CANCEL: same branch as its INVITE (RFC 3261 §9.1).</summary>
    public Task<SipCommand[]> CallerCancelsAsync()
        => Grain.OnRequest(new SipInbound(SipRequests.CreateCancel(SipParser.ParseTrusted(CallerInviteBytes)), Caller, _edge));

    public Task<SipCommand[]> CalleeSendsByeAsync()
    {
        var invite = CalleeInvite!;
        var bye = SipMessageBuilder.Request(SipMethod.Bye, "sip:edge@127.0.0.1:5060")
            .Add(Sip.Headers.HeaderId.Via, "SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-callee-bye")
            .Add(Sip.Headers.HeaderId.From, $"{Encoding.UTF8.GetString(invite.RawValue(Sip.Headers.HeaderId.To))};tag=bob-tag")
            .AddRaw(Sip.Headers.HeaderId.To, invite.RawValue(Sip.Headers.HeaderId.From))
            .Add(Sip.Headers.HeaderId.CallId, invite.CallId)
            .Add(Sip.Headers.HeaderId.CSeq, "1 BYE")
            .ToArray();
        return Grain.OnRequest(new SipInbound(bye, Callee, _edge));
    }

    public static SipMessage Parse(SipCommand command) => SipParser.ParseTrusted(command.Message);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
}
