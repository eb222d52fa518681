using CallControl.Sip.Messages;

namespace CallControl.Calls;

// The caller side (CallLeg.Caller) is the party that stays on the call's first side. It is the caller leg (we are its
// UAS) until the caller transfers the call (REFER): then the callee it talked to takes its place, and the caller side is
// that callee leg (DialogState.CallerSide; we are its UAC) while the new party is the answered callee leg. Everything
// the machine sends to, or reads of, "the caller" in an answered call goes through here.
public sealed partial class CallMachine
{
    /// <summary>The callee leg on the caller side after a caller's transfer, or null while it is the caller leg.</summary>
    private CalleeLeg? CallerSideLeg => State.CallerSide >= 0 ? State.Legs[State.CallerSide] : null;

    /// <summary>
    /// An in-dialog request to the caller side: on the caller leg (From and To swapped), or on the callee leg that took
    /// its place; <paramref name="cseq"/> for an ACK, else the side's next.
    /// </summary>
    private (byte[] Message, SipPeer Destination) ToCallerSide(string method, SipMessage? relayed = null, uint? cseq = null, byte[]? sdp = null)
        => CallerSideLeg is { } leg
            ? LegMessages.RequestToCallee(leg, method, relayed, cseq, sdp)
            : LegMessages.RequestToCaller(CallerInvite, State, method, relayed, cseq, sdp);

    /// <summary>The CSeq number the caller side's last request took.</summary>
    private uint CallerSideCSeq => CallerSideLeg?.LocalCSeq ?? State.CallerLocalCSeq;

    /// <summary>The edge on the caller side's path.</summary>
    private EdgeInfo CallerSideEdge => CallerSideLeg?.Edge ?? State.Edge!;

    /// <summary>Where the caller side signals from (for the media relay).</summary>
    private string CallerSideHost => CallerSideLeg?.Peer.Host ?? State.CallerPeer!.Host;

    /// <summary>
    /// A request on the callee leg that took the caller's place, classified as the caller's; or one from the caller leg
    /// released by its transfer (a BYE that crossed ours gets 200, anything else 481, an ACK nothing).
    /// </summary>
    private Happening? ClassifyCallerSide(SipMessage request, SipInbound inbound)
    {
        if (State.CallerSide < 0)
        {
            return null;
        }

        if (request.CallId == CallerCallId)
        {
            return request.Method switch
            {
                SipMethod.Ack => Happening.Nothing,
                SipMethod.Bye => new(HappeningKind.CalleeBye, request, inbound),
                _ => new(HappeningKind.CalleeRequest, request, inbound),
            };
        }

        if (CallerSideLeg is not { } leg || leg.CallId != request.CallId)
        {
            return null;
        }

        var kind = request.Method switch
        {
            SipMethod.Bye => HappeningKind.CallerBye,
            SipMethod.Ack => HappeningKind.CallerAck,
            SipMethod.Options => HappeningKind.CallerOptions,
            SipMethod.Unknown => HappeningKind.CallerUnsupported,
            _ => HappeningKind.CallerRequest,
        };
        return new(kind, request, inbound, leg);
    }
}
