using CallControl.Sip.Headers;

namespace CallControl.Sip.Messages;

/// <summary>Requests that RFC 3261 derives from an INVITE: the CANCEL (§9.1) and the ACK for a non-2xx (§17.1.1.3).</summary>
public static class SipRequests
{
    /// <summary>
    /// The CANCEL for an INVITE we sent: the same Request-URI, Call-ID, To, From, top Via (so the same
    /// branch) and Route, and the CSeq number with method CANCEL (RFC 3261 §9.1).
    /// </summary>
    public static byte[] CreateCancel(SipMessage invite)
        => SipMessageBuilder.Request(SipMethod.Cancel, invite.RequestUri)
            .AddRaw(HeaderId.Via, TopViaRaw(invite))
            .Add(HeaderId.MaxForwards, 70)
            .Copy(invite, HeaderId.From)
            .Copy(invite, HeaderId.To)
            .Copy(invite, HeaderId.CallId)
            .Add(HeaderId.CSeq, $"{invite.CSeq.Number} CANCEL")
            .Copy(invite, HeaderId.Route)
            .ToArray();

    /// <summary>
    /// The ACK for a non-2xx final response: the INVITE's Request-URI, Call-ID, From, top Via and Route,
    /// the response's To (with its tag), and the CSeq number with method ACK (RFC 3261 §17.1.1.3).
    /// </summary>
    public static byte[] CreateAckForFailure(SipMessage invite, SipMessage response)
        => SipMessageBuilder.Request(SipMethod.Ack, invite.RequestUri)
            .AddRaw(HeaderId.Via, TopViaRaw(invite))
            .Add(HeaderId.MaxForwards, 70)
            .Copy(invite, HeaderId.From)
            .AddRaw(HeaderId.To, response.RawValue(HeaderId.To))
            .Copy(invite, HeaderId.CallId)
            .Add(HeaderId.CSeq, $"{invite.CSeq.Number} ACK")
            .Copy(invite, HeaderId.Route)
            .ToArray();

    /// <summary>The first Via value (the first element of the first Via line).</summary>
    public static ReadOnlySpan<byte> TopViaRaw(SipMessage message)
    {
        foreach (var via in message.Values(HeaderId.Via))
        {
            return via.Span;
        }

        return default;
    }
}
