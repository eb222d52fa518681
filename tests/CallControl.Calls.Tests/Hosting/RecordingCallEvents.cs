using System.Collections.Concurrent;
using CallControl.Grains;
using CallControl.Grains.Flows;

namespace CallControl.Calls.Tests;

/// <summary>What a call reported, one line per event ("Answered sip:...", "Ended Busy 486 None"), in order.</summary>
public sealed class RecordingCallEvents : ICallEvents
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Started(string dialled, SipPeer source) => Lines.Enqueue($"Started {dialled}");

    public void Routed() => Lines.Enqueue("Routed");

    public void Milestone(string milestone, TimeSpan sinceInvite) => Lines.Enqueue($"Milestone {milestone}");

    public void LegRinging(string target) => Lines.Enqueue($"LegRinging {target}");

    public void Answered(string target) => Lines.Enqueue($"Answered {target}");

    public void LegUnreachable(string target, int status) => Lines.Enqueue($"LegUnreachable {target} {status}");

    public void Challenged(string target, string method, int status) => Lines.Enqueue($"Challenged {target} {method} {status}");

    public void AuthenticationFailed(string target, string method, int status, bool refused) => Lines.Enqueue($"AuthenticationFailed {target} {method} {status} {(refused ? "refused" : "unanswerable")}");

    public void BadTarget(string target) => Lines.Enqueue($"BadTarget {target}");

    public void DialFailed(DialResult result, int status) => Lines.Enqueue($"DialFailed {result} {status}");

    public void NoAnswer() => Lines.Enqueue("NoAnswer");

    public void MaxDuration() => Lines.Enqueue("MaxDuration");

    public void AckTimeout() => Lines.Enqueue("AckTimeout");

    public void RefusedForStoreOutage(int retryAfterSeconds) => Lines.Enqueue($"RefusedForStoreOutage {retryAfterSeconds}");

    public void Ended(CallDisposition disposition, int finalStatus, HangupParty hungUpBy, bool wasInProgress) => Lines.Enqueue($"Ended {disposition} {finalStatus} {hungUpBy}");
}
