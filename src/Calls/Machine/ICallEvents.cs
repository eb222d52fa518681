using CallControl.Grains.Flows;

namespace CallControl.Calls;

/// <summary>
/// What a call reports as it goes, for the host's logs and metrics; the machine itself writes nothing anywhere.
/// Every method has a default that does nothing, so a test or a host implements what it watches.
/// </summary>
public interface ICallEvents
{
    /// <summary>A new call's INVITE arrived.</summary>
    void Started(string dialled, SipPeer source) { }

    /// <summary>The call has a route: it is in progress until it ends.</summary>
    void Routed() { }

    /// <summary>INVITE to the first 18x (<c>ringing</c>) or to the 200 (<c>answer</c>).</summary>
    void Milestone(string milestone, TimeSpan sinceInvite) { }

    /// <summary>A leg sent its first provisional.</summary>
    void LegRinging(string target) { }

    /// <summary>A leg answered: the call is up.</summary>
    void Answered(string target) { }

    /// <summary>A leg's INVITE got no response (408) or could not be sent (503).</summary>
    void LegUnreachable(string target, int status) { }

    /// <summary>A leg's server gave a 503 or no answer, and its target's next server (DNS, RFC 3263 §4.3) is tried.</summary>
    void NextHop(string target, int status, string next) { }

    /// <summary>A trunk challenged a request on a leg (401 or 407) and the call answers with the route's credentials.</summary>
    void Challenged(string target, string method, int status) { }

    /// <summary>
    /// A trunk's challenge to a request on a leg could not be answered (the route has no credentials for it) or refused
    /// the answer: an INVITE's leg fails (as 403), another request is given up.
    /// </summary>
    void AuthenticationFailed(string target, string method, int status, bool refused) { }

    /// <summary>A side's session expired (RFC 4028): it did not refresh, or did not answer our refresh; the call ends.</summary>
    void SessionExpired(CallLeg side) { }

    /// <summary>We refreshed a side's session (an UPDATE, or an OPTIONS to a party that allows none).</summary>
    void SessionRefresh(CallLeg side, string method) { }

    /// <summary>A dial target is not a SIP URI; it was skipped.</summary>
    void BadTarget(string target) { }

    /// <summary>No target of a dial answered; the flow decides what follows.</summary>
    void DialFailed(DialResult result, int status) { }

    /// <summary>The call rang for its whole ring timeout.</summary>
    void NoAnswer() { }

    /// <summary>The answered call reached its maximum duration.</summary>
    void MaxDuration() { }

    /// <summary>The caller never acknowledged the answer.</summary>
    void AckTimeout() { }

    /// <summary>A new call was refused because its first save could not be stored.</summary>
    void RefusedForStoreOutage(int retryAfterSeconds) { }

    /// <summary>The call's rtpengine <paramref name="lost"/> died: its media moved to <paramref name="movedTo"/> (null: no other took it).</summary>
    void MediaMoved(string lost, string? movedTo) { }

    /// <summary>A re-INVITE the call sent on its own (moving the media) was refused or not answered: that party keeps the old media address.</summary>
    void OwnReinviteRefused(CallLeg leg, int status) { }

    /// <summary>A party asked to transfer the call (REFER) to <paramref name="target"/>; the flow decides.</summary>
    void TransferAsked(TransferParty by, string target) { }

    /// <summary>The flow refused a transfer: the REFER got <paramref name="status"/>.</summary>
    void TransferRefused(int status) { }

    /// <summary>A transfer's target answered: it now carries the call, and the transferor was released.</summary>
    void Transferred(TransferParty by, string target) { }

    /// <summary>A transfer failed with <paramref name="status"/>: the call goes on as it was (or ends, its transferor gone).</summary>
    void TransferFailed(TransferParty by, int status) { }

    /// <summary>The call ended; <paramref name="wasInProgress"/> is false for a call refused before it had a route.</summary>
    void Ended(CallDisposition disposition, int finalStatus, HangupParty hungUpBy, bool wasInProgress) { }
}
