using CallControl.Grains;

namespace CallControl.Edge.Routing;

/// <summary>
/// Which dialog grain a message belongs to, from its Call-ID alone: a callee leg's Call-ID decodes to the
/// caller leg's (<see cref="CallIdCodec"/>); any other Call-ID is a caller leg's own. No lookup table, so
/// any edge routes any message of any call.
/// </summary>
internal sealed class GrainKeys(CallIdCodec callIds)
{
    /// <summary>The dialog grain key for a message with this Call-ID.</summary>
    public string DialogKey(string callId) => callIds.TryDecode(callId) ?? callId;
}
