using CallControl.Grains;

namespace CallControl.Grains.Tests;

/// <summary>A call played into its machine in-process (<see cref="Calls.Tests.CallHost"/>).</summary>
internal sealed partial class CallScript
{
    public CallScript(Calls.Tests.CallHost host, string callId, bool withOffer = true, string dialled = "1000", string extraInviteHeaders = "", EdgeInfo? edge = null)
        : this(host.Call(callId), callId, withOffer, observer: null, dialled, extraInviteHeaders, edge)
    {
    }
}
