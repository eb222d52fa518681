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
}
