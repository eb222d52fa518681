using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>The requests the tests' own phones send to user 1000 (or another <c>callee</c>): one place for the headers every one of them needs.</summary>
internal static class PhoneRequests
{
    /// <summary>
    /// A request from <paramref name="phone"/> (its user and From tag) on <paramref name="transport"/> at
    /// <paramref name="localPort"/>; <paramref name="toTag"/> once a dialog exists; a fresh branch every time.
    /// </summary>
    public static SipMessageBuilder Build(
        SipMethod method, string uri, string transport, int localPort, string phone, string callId, uint cseq, string? toTag, string contact, string callee = "1000")
        => SipMessageBuilder.Request(method, uri)
            .Add(HeaderId.Via, $"SIP/2.0/{transport} 127.0.0.1:{localPort};branch=z9hG4bK-{method.Name().ToLowerInvariant()}-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<sip:{phone}@127.0.0.1>;tag={phone}")
            .Add(HeaderId.To, toTag is null ? $"<sip:{callee}@127.0.0.1>" : $"<sip:{callee}@127.0.0.1>;tag={toTag}")
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, $"{cseq} {method.Name()}")
            .Add(HeaderId.Contact, $"<{contact}>");
}
