using CallControl.Calls;
using System.Globalization;

namespace CallControl.Grains.Dialogs;

// New calls while the state store is down (CallControl:Calls:StoreOutagePolicy). A call that exists goes on through
// an outage (its saves are write-behind); a new call whose first write fails has nothing stored that another silo
// could carry on from, so by default it is refused before any callee rings: 503 with Retry-After (RFC 3261 §21.5.4).
public sealed partial class DialogGrain
{
    /// <summary>True when the call's first save just failed and the policy refuses such calls.</summary>
    private bool RefusesUnstoredCall() => !_store.RecordExists && _calls.StoreOutagePolicy == StoreOutagePolicy.Reject;

    private async Task RefuseForStoreOutageAsync(List<CalleeLeg> unsent, List<SipCommand> commands)
    {
        foreach (var leg in unsent)
        {
            leg.Status = LegStatus.Failed; // its INVITE never went out: nothing to CANCEL
            leg.FinalStatus = 503;
        }

        var seconds = (int)Math.Ceiling(_calls.StoreOutageRetryAfter.TotalSeconds);
        Log.RefusedForStoreOutage(_logger, CallerCallId, seconds);
        State.FinalStatus = 503;
        commands.Add(new(SipCommandKind.Respond,
            LegMessages.ResponseToCaller(CallerInvite, State, 503, null, retryAfter: seconds.ToString(CultureInfo.InvariantCulture)), State.CallerPeer!));
        await EndAsync(CallDisposition.Failed, 503, HangupParty.None);
    }
}
