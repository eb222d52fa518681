using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

// Outbound authentication (docs/interop.md, "Outbound authentication"): a trunk that challenges a request on a callee
// leg (401 with WWW-Authenticate, 407 with Proxy-Authenticate) gets the request again, in a new transaction with the
// next CSeq, carrying the answer the host computed from the route's credentials (RFC 3261 §22.2). Once per challenge:
// a request that carried our answer and is challenged again was refused, unless the trunk says only the nonce was
// stale. The edge's client transaction has already ACKed the 4xx (§17.1.1.3). The caller never sees the challenge;
// a leg whose INVITE cannot be authenticated fails as 403 and the call goes on as after any failed leg.
public sealed partial class CallMachine
{
    /// <summary>An INVITE is sent at most this many times with credentials (a trunk that keeps saying stale is not followed for ever).</summary>
    private const uint MaxInviteAnswers = 3;

    /// <summary>A ringing leg's INVITE was challenged: sent again with credentials, or the leg fails as 403.</summary>
    private void OnLegChallenged(in Happening happening)
    {
        var leg = happening.Leg!;
        var response = happening.Message!;
        var failed = happening with { Status = 403 };
        if (!ShouldAnswer(leg, response, out var challenges, out var refused) || leg.InviteCSeq > MaxInviteAnswers)
        {
            _events.AuthenticationFailed(leg.Uri, "INVITE", response.StatusCode, refused);
            OnRingingLegFailed(failed);
            return;
        }

        _events.Challenged(leg.Uri, "INVITE", response.StatusCode);
        AskAuth(challenges, "INVITE", leg.Uri, header =>
        {
            if (header is null)
            {
                _events.AuthenticationFailed(leg.Uri, "INVITE", response.StatusCode, refused: false);
                OnRingingLegFailed(failed);
                return;
            }

            SendInviteAgain(leg, AuthorizationFor(response), header);
        });
    }

    /// <summary>
    /// The leg's INVITE again with our answer: the same dialog identifiers (Call-ID, From tag, To) and body, a new branch
    /// and the next CSeq. What an early dialog of the challenged transaction left (a To tag, reliable provisionals) goes:
    /// the new INVITE's responses make their own. Saved before it goes, so another silo matches its responses.
    /// </summary>
    private void SendInviteAgain(CalleeLeg leg, HeaderId header, string value)
    {
        leg.InviteCSeq = ++leg.LocalCSeq;
        leg.SentAt = _now; // a CANCEL waits for this INVITE's provisional as for the first (CancelWithoutProvisionalAfter)
        leg.AuthorizedCSeq = leg.InviteCSeq;
        leg.Status = LegStatus.Calling;
        leg.To = null;
        leg.RemoteTarget = null;
        leg.RouteSet = [];
        State.Reliable.RemoveAll(r => r.Leg == leg.Number);
        var body = State.MediaOffer is { } anchored ? anchored : CallerInvite.Body;
        var invite = LegMessages.CalleeInviteAgain(CallerInvite, leg, SipIds.NewBranch(), body, State.Policy, (header, value));
        _step.Save = true;
        _step.Commands.Add(new(SipCommandKind.Request, invite, leg.Peer));
    }

    /// <summary>The answered leg's BYE was challenged: sent again with credentials, or given up (the trunk's dialog then times out on its side).</summary>
    private void OnByeChallenged(in Happening happening)
    {
        var leg = happening.Leg!;
        var response = happening.Message!;
        if (leg.Number != State.AnsweredLeg)
        {
            return; // the BYE of an answer the call refused: no dialog of ours to authenticate in
        }

        var uri = leg.RemoteTarget ?? leg.Uri;
        if (!ShouldAnswer(leg, response, out var challenges, out var refused))
        {
            _events.AuthenticationFailed(uri, "BYE", response.StatusCode, refused);
            return;
        }

        _events.Challenged(uri, "BYE", response.StatusCode);
        AskAuth(challenges, "BYE", uri, header =>
        {
            if (header is null)
            {
                _events.AuthenticationFailed(uri, "BYE", response.StatusCode, refused: false);
                return;
            }

            var (bye, hop) = LegMessages.RequestToCallee(leg, "BYE", relayed: null, cseq: null, (AuthorizationFor(response), header));
            leg.AuthorizedCSeq = leg.LocalCSeq;
            _step.Commands.Add(new(SipCommandKind.Request, bye, hop, ByeFlags));
        });
    }

    /// <summary>
    /// A request relayed to the answered callee (re-INVITE, UPDATE, INFO, ...; an own re-INVITE too) was challenged:
    /// sent again with credentials (next CSeq, the same body), or the original gets 403 (an own re-INVITE is refused).
    /// </summary>
    private void OnRelayChallenged(in Happening happening, PendingRelay relay, CalleeLeg leg)
    {
        var response = happening.Message!;
        var index = happening.Relay;
        var uri = leg.RemoteTarget ?? leg.Uri;
        if (!ShouldAnswer(leg, response, out var challenges, out var refused))
        {
            _events.AuthenticationFailed(uri, relay.Method, response.StatusCode, refused);
            RefuseRelay(index, relay);
            return;
        }

        _events.Challenged(uri, relay.Method, response.StatusCode);
        AskAuth(challenges, relay.Method, uri, header =>
        {
            if (header is null)
            {
                _events.AuthenticationFailed(uri, relay.Method, response.StatusCode, refused: false);
                RefuseRelay(index, relay);
                return;
            }

            var original = relay.Own ? null : SipParser.ParseTrusted(relay.Original);
            var (request, hop) = LegMessages.RelayToCallee(leg, State.HeaderPolicy, relay.Method, original, cseq: null, relay.Sdp, (AuthorizationFor(response), header));
            relay.CSeq = leg.LocalCSeq; // its responses, and the ACK of its 2xx, carry the new number
            leg.AuthorizedCSeq = relay.CSeq;
            _step.Save |= relay.Method is "INVITE" or "UPDATE";
            _step.Commands.Add(new(SipCommandKind.Request, request, hop));
        });
    }

    /// <summary>A relayed request the callee's trunk would not take from us: the original gets 403, never the challenge it cannot answer.</summary>
    private void RefuseRelay(int index, PendingRelay relay)
    {
        State.Relays.RemoveAt(index);
        if (relay.Own)
        {
            _events.OwnReinviteRefused(relay.SentOn, 403);
            return;
        }

        var original = SipParser.ParseTrusted(relay.Original);
        _step.Commands.Add(SipCommand.Response(LegMessages.Response(original, 403, toTag: null), original, relay.OriginalPeer));
    }

    /// <summary>
    /// A BYE on a callee leg: its answer changes nothing for the call, except a challenge, which the edge reports so
    /// the BYE can be sent again with credentials.
    /// </summary>
    private const SipCommandFlags ByeFlags = SipCommandFlags.NoReport | SipCommandFlags.ReportChallenge;

    /// <summary>
    /// Whether a challenge to a request on <paramref name="leg"/> is to be answered: it holds a Digest challenge, the call
    /// has a route whose credentials the host can look up, and the request did not carry our answer already (then the
    /// trunk <paramref name="refused"/> it), unless the trunk says the nonce was only stale (RFC 7616 §3.3).
    /// </summary>
    private bool ShouldAnswer(CalleeLeg leg, SipMessage response, out List<DigestChallenge> challenges, out bool refused)
    {
        challenges = response.GetChallenges(response.StatusCode == 407 ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate);
        refused = response.CSeq.Number == leg.AuthorizedCSeq && !challenges.Exists(c => c.Stale);
        return challenges.Count > 0 && State.Route is not null && !refused;
    }

    private void AskAuth(List<DigestChallenge> challenges, string method, string uri, Action<string?> then)
    {
        _afterAuth = then;
        Ask(new AuthQuestion(State.Route!, challenges, method, uri));
    }

    /// <summary>401 is answered in Authorization, 407 in Proxy-Authorization (RFC 3261 §22.2, §22.3).</summary>
    private static HeaderId AuthorizationFor(SipMessage challenge)
        => challenge.StatusCode == 407 ? HeaderId.ProxyAuthorization : HeaderId.Authorization;
}
