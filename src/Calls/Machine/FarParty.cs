using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>
/// Attended transfer's other half (RFC 3891; docs/interop.md, "Transfer"): the call the transferor's Refer-To names
/// tells who is at its far end, and how to reach that party with an INVITE that replaces its dialog with this call.
/// The transferor must be one of this call's parties, and the call answered.
/// </summary>
public static class FarParty
{
    /// <summary>The dial target for <paramref name="far"/>: its URI, reached where its leg is, the INVITE carrying its Replaces.</summary>
    public static DialTarget ToDial(FarPartyTarget far)
        => new(far.Uri) { Hop = far.Peer, HopEdge = far.Edge, Headers = new Dictionary<string, string> { ["Replaces"] = far.Replaces } };

    /// <summary>
    /// The target that replaces <paramref name="named"/> (the transferor's dialog with this call) by a dial from the
    /// transferee's call: the far party's remote target, reached where its leg is, with a <c>Replaces</c> header naming
    /// its own dialog with this call; null when the dialog is not one of this call's answered legs.
    /// </summary>
    public static FarPartyTarget? Of(DialogState state, SipMessage callerInvite, ReplacedDialog named)
    {
        if (state.Phase is not (DialogPhase.Answered or DialogPhase.Confirmed) || state.CallerSide >= 0 || state.Answered is not { } callee
            || TagOf(callee.To) is not { } calleeTag || TagOf(callee.LocalFrom) is not { } ourTag || callerInvite.From.Tag is not { } callerTag)
        {
            return null;
        }

        if (named == new ReplacedDialog(callerInvite.CallId, state.CallerTag, callerTag))
        {
            // The transferor called through this call: its far party is the answered callee.
            return new FarPartyTarget(callee.RemoteTarget ?? callee.Uri, callee.Peer, callee.Edge, new ReplacedDialog(callee.CallId, calleeTag, ourTag).ToString());
        }

        if (named == new ReplacedDialog(callee.CallId, ourTag, calleeTag))
        {
            // The transferor answered this call: its far party is the caller.
            var contact = callerInvite.Addresses(HeaderId.Contact) is [var first, ..] ? first.Uri.ToString() : callerInvite.From.Uri.ToString();
            return new FarPartyTarget(contact, state.CallerPeer, state.Edge, new ReplacedDialog(callerInvite.CallId, callerTag, state.CallerTag).ToString());
        }

        return null;
    }

    private static string? TagOf(string? nameAddress) => nameAddress is not null && NameAddress.TryParse(nameAddress, out var address) ? address.Tag : null;
}
