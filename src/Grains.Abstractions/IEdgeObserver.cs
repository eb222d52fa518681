namespace CallControl.Grains;

/// <summary>
/// An edge as a grain can call it: how messages a grain starts on its own (a timer fired) reach the wire.
/// Each edge registers one; it travels in <see cref="EdgeInfo"/> with every message the edge hands over.
/// </summary>
[Alias("cc.edge-observer")]
public interface IEdgeObserver : IGrainObserver
{
    /// <summary>Carries out commands for the dialog <paramref name="dialogKey"/>, as if a grain call had returned them.</summary>
    [Alias("send")]
    Task Send(SipCommand[] commands, string dialogKey);

    /// <summary>
    /// Sends an out-of-dialog MESSAGE or OPTIONS whose destination only this edge can reach (its connection, its NATed
    /// flow) in a client transaction, and returns the final answer within <paramref name="timeout"/>
    /// (<see cref="IMessageRelayGrain.RelayThrough"/>). An edge that predates it fails the call, which the asking edge
    /// answers as no answer.
    /// </summary>
    [Alias("relay")]
    [ResponseTimeout("00:00:40")] // the relay's timeout is at most 30 s (CallControl:Messages:Timeout)
    Task<RelayedAnswer> Relay(SipCommand request, TimeSpan timeout);
}
