using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Media anchoring (docs/media.md, "Anchoring a call"), when the machine was made with anchorMedia: every SDP offer and
// answer crossing the B2BUA is first rewritten by the call's media relay (a MediaQuestion, answered by the host with
// rtpengine's ng offer/answer), so each leg sees only the relay's addresses; the call's end deletes the session and
// its counts go into the CDR. Tags are the parties' own, the same in every command: the caller's From tag, and the
// callee's tag (its leg's To). Without anchorMedia none of this runs and the SDP passes through untouched.
public sealed partial class CallMachine
{
    /// <summary>Asks the host for a media command; <paramref name="then"/> continues with its result (in the same turn).</summary>
    private void AskMedia(MediaRequest request, Action<MediaResult> then)
    {
        _afterMedia = result =>
        {
            if (result.Ok)
            {
                RememberSdp(request);
            }

            then(result);
        };
        Ask(new MediaQuestion(request));
    }

    /// <summary>Keeps the SDP a party sent, once the relay took it: a re-anchor makes the session again from these.</summary>
    private void RememberSdp(MediaRequest request)
    {
        var sender = request.Kind switch
        {
            MediaKind.Offer => request.FromTag,
            MediaKind.Answer => request.ToTag,
            _ => null,
        };
        if (sender is null || request.Sdp is null)
        {
            return;
        }

        if (sender == CallerMediaTag)
        {
            State.CallerSdp = request.Sdp;
        }
        else
        {
            State.CalleeSdp = request.Sdp;
        }
    }

    /// <summary>The caller side's tag at the relay: the caller's From tag, or the tag of the callee that took its place by a transfer.</summary>
    private string CallerMediaTag => CallerSideLeg is { } leg ? CalleeMediaTag(leg) : OriginalCallerMediaTag;

    /// <summary>The caller's own From tag: the session's at the relay, whoever is on the caller side now.</summary>
    private string OriginalCallerMediaTag => CallerInvite.From.Tag ?? State.CallerTag;

    /// <summary>A callee leg's tag at the relay: the callee's tag from the leg's To (its Call-ID before it has one).</summary>
    private static string CalleeMediaTag(CalleeLeg leg)
        => leg.To is { } to && NameAddress.TryParse(to, out var address) && address.Tag is { } tag ? tag : leg.CallId;

    private string MediaTagOf(CallLeg side) => side == CallLeg.Caller ? CallerMediaTag : CalleeMediaTag(State.Answered!);

    /// <summary>The media profile of a side: what rtpengine gives the SDPs sent to it (docs/media.md, "SRTP and WebRTC per route").</summary>
    private Grains.Routing.MediaProfile MediaProfileOf(CallLeg side) => side == CallLeg.Caller ? State.MediaCaller : State.MediaCallee;

    private string MediaSourceOf(CallLeg side) => side == CallLeg.Caller ? CallerSideHost : State.Answered!.Peer.Host;

    /// <summary>True when this anchored call must have <paramref name="message"/>'s body rewritten: it carries an SDP.</summary>
    private bool CarriesSdp(SipMessage message)
        => _anchor && message.HasBody && (message.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>
    /// The caller's offer, before any leg is dialled: rewritten once, kept in the state for every leg (forks, hunting).
    /// False when there is nothing to do (passthrough, no offer in the INVITE, already anchored); else the offer is
    /// asked for and <paramref name="then"/> runs on success, or the call is refused 503 when no relay could take it.
    /// </summary>
    private bool AnchorCallerOffer(Action then)
    {
        if (State.MediaOffer is not null || !CarriesSdp(CallerInvite))
        {
            return false;
        }

        var offer = Text(CallerInvite.Body);
        State.MediaCaller = SdpProtocol.ProfileOf(offer);
        AskMedia(new MediaRequest(MediaKind.Offer, CallerMediaTag, null, offer, State.CallerPeer!.Host) { Toward = State.MediaCallee }, result =>
        {
            if (!result.Ok)
            {
                RejectCall(503, "Media Unavailable"); // the host tried a second relay already
                return;
            }

            State.MediaAnchored = true;
            State.MediaOffer = Encoding.UTF8.GetBytes(result.Sdp!);
            then();
        });
        return true;
    }

    /// <summary>
    /// The media command a callee's answering response needs: an answer to the caller's offer, or, for a late offer
    /// (an INVITE without SDP), an offer of its own; null when it carries no SDP or the call is not anchored.
    /// </summary>
    private MediaRequest? MediaForCalleeSdp(CalleeLeg leg, SipMessage response, bool reliable)
    {
        if (!CarriesSdp(response))
        {
            return null;
        }

        var callee = response.To.Tag ?? leg.CallId;
        var sdp = Text(response.Body);
        if (State.MediaAnchored && State.MediaOffer is not null)
        {
            return new MediaRequest(MediaKind.Answer, CallerMediaTag, callee, sdp, leg.Peer.Host) { Toward = State.MediaCaller };
        }

        if (CallerInvite.HasBody || State.MediaEarlyOffer is not null || (response.StatusCode < 200 && !reliable))
        {
            return null; // nothing to relay: the offer/answer is done, or an unreliable provisional cannot offer (RFC 3262)
        }

        // A late offer: in the 2xx, or in a reliable provisional (its answer comes in the caller's PRACK).
        return new MediaRequest(MediaKind.Offer, callee, CallerMediaTag, sdp, leg.Peer.Host) { Toward = State.MediaCaller };
    }

    /// <summary>A callee's 2xx whose SDP the relay could not take: the answer is refused (ACK, BYE) and the call ends 503.</summary>
    private void RefuseAnswerForMedia(CalleeLeg leg, SipMessage answer)
    {
        leg.Status = LegStatus.Failed;
        leg.FinalStatus = 503;
        _step.Commands.AddRange(LegMessages.RefuseAnswer(leg, answer));
        StopRinging(503, CallDisposition.Failed, HangupParty.System);
    }

    /// <summary>The delete at the call's end: the whole session (from the caller's tag), with the answered callee's tag for its counts.</summary>
    private MediaRequest DeleteRequest()
        => new(MediaKind.Delete, OriginalCallerMediaTag, State.Answered is { } answered ? CalleeMediaTag(answered) : null, null, null);

    private static string Text(ReadOnlyMemory<byte> body) => Encoding.UTF8.GetString(body.Span);

    /// <summary>The relay's SDP for a leg, its session version raised by the media's moves (<see cref="DialogState.MediaMoves"/>).</summary>
    private byte[] Bytes(MediaResult result) => ToLeg(result.Sdp);

    private byte[] ToLeg(string? sdp) => Encoding.UTF8.GetBytes(SdpVersion.Raise(sdp ?? "", State.MediaMoves));
}
