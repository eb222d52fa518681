namespace CallControl.Edge.Messages;

/// <summary>
/// How the edge relays out-of-dialog MESSAGE (RFC 3428) and OPTIONS to users, from section <c>CallControl:Messages</c>
/// (docs/interop.md, "MESSAGE and OPTIONS out of dialog").
/// </summary>
public sealed class MessageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Messages";

    /// <summary>
    /// The largest body relayed, in bytes; a larger one gets 413 (RFC 3428 §8 lets a UAS or proxy limit the size).
    /// Default 16,384: far above what page-mode text needs and RFC 3428 §8's 1,300 bytes for a path that may be UDP,
    /// which a sender may exceed over TCP, yet small enough that a relayed message fits one UDP datagram toward a
    /// phone that registered over UDP. Larger content belongs in a session (MSRP, RFC 4975).
    /// </summary>
    public int MaxBodySize { get; set; } = 16_384;

    /// <summary>
    /// How long a relayed request waits for its final answer before the sender gets 408; default 25 s. Below the
    /// sender's own Timer F (64×T1 = 32 s, RFC 3261 §17.1.2.2), so the 408 reaches it while it still waits (RFC 4320's
    /// concern); at most 30 s, so an answer relayed through another edge comes back within Orleans' response timeout.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}
