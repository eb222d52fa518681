namespace CallControl.Grains.Tests;

/// <summary>A call played into its dialog grain in the test cluster.</summary>
internal sealed partial class CallScript
{
    public CallScript(IGrainFactory grains, string callId, bool withOffer = true, IEdgeObserver? observer = null, string dialled = "1000", string extraInviteHeaders = "", EdgeInfo? edge = null)
        : this(grains.GetGrain<IDialogGrain>(callId), callId, withOffer, observer, dialled, extraInviteHeaders, edge)
    {
    }
}
