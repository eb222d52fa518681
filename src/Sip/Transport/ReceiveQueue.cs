using System.Diagnostics;

namespace CallControl.Sip.Transport;

/// <summary>
/// The datagrams a UDP receive loop has taken off its socket and not yet handed on, each stamped when it was taken, in
/// two queues: new INVITEs, and everything else. Everything else is served first: responses, ACKs, BYEs and CANCELs are
/// what lets calls already in progress complete, and an overloaded edge that keeps them waiting behind new calls turns
/// every admitted call into retransmissions (docs/performance.md, "Overload collapse, measured"). New INVITEs then wait,
/// and their wait is what admission control reads: a wait the kernel's receive queue would have hidden.
/// Never ahead of an INVITE that has waited longer than <c>inviteWaitBound</c>, though: from then on the oldest datagram
/// goes first. Strict priority would leave new INVITEs waiting for as long as the edge stays busy, unseen by admission
/// control, which judges an INVITE when it is handed on, while their callers retransmit them; with the bound, INVITEs
/// wait about that long at most, and admission control, whose target is the bound, refuses them once they all do.
/// Used by one receive loop only, so nothing here is synchronised. Each queue is bounded; a datagram that finds its
/// queue full is dropped, as the kernel would have dropped it, and UDP's retransmissions stand in for it.
/// </summary>
internal sealed class ReceiveQueue(int capacityPerQueue, TimeSpan inviteWaitBound)
{
    private readonly Queue<Received> _others = new();
    private readonly Queue<Received> _invites = new();

    /// <summary>Datagrams waiting.</summary>
    public int Count => _others.Count + _invites.Count;

    /// <summary>Queues a datagram taken off the socket now; false when its queue is full and it was dropped.</summary>
    public bool TryAdd(byte[] message, SipEndPoint source)
    {
        var queue = IsNewWork(message) ? _invites : _others;
        if (queue.Count >= capacityPerQueue)
        {
            return false;
        }

        queue.Enqueue(new Received(message, source, Stopwatch.GetTimestamp()));
        return true;
    }

    /// <summary>The next datagram to handle, and how long it waited here.</summary>
    public bool TryTake(out Received received, out TimeSpan waited)
    {
        var inviteOverdue = _invites.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.TakenAt) > inviteWaitBound;
        var taken = inviteOverdue
            ? _invites.TryDequeue(out received)
            : _others.TryDequeue(out received) || _invites.TryDequeue(out received);
        if (!taken)
        {
            waited = TimeSpan.Zero;
            return false;
        }

        waited = Stopwatch.GetElapsedTime(received.TakenAt);
        return true;
    }

    /// <summary>
    /// Whether a datagram is new work, an INVITE or a REGISTER, from its first bytes: method names are case-sensitive
    /// (RFC 3261 §7.1), and a request line starts with its method and one space. A flood of REGISTERs then waits with
    /// the new calls, behind the calls in progress, and is shed as they are. In-dialog re-INVITEs land here too; they
    /// wait with the new calls but are never refused for it (the transaction layer screens only requests without a To tag).
    /// </summary>
    internal static bool IsNewWork(ReadOnlySpan<byte> datagram) => datagram.StartsWith("INVITE "u8) || datagram.StartsWith("REGISTER "u8);

    /// <summary>One datagram: its bytes, where it came from, and when it was taken off the socket (a Stopwatch timestamp).</summary>
    internal readonly record struct Received(byte[] Message, SipEndPoint Source, long TakenAt);
}
