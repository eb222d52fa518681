namespace CallControl.Sip.Transport;

/// <summary>The transports a node listens on, as one sender that picks the transport a destination names.</summary>
public sealed class TransportSet : ISipSender, IAsyncDisposable
{
    // One slot per kind, so a kind added to the enum needs nothing here: a kind no transport carries has an empty slot.
    private readonly ISipTransport?[] _byKind = new ISipTransport?[Enum.GetValues<SipTransportKind>().Length];

    /// <summary>Groups already-created transports; at most one per kind.</summary>
    public TransportSet(IEnumerable<ISipTransport> transports)
    {
        foreach (var transport in transports)
        {
            if (_byKind[(int)transport.Kind] is not null)
            {
                throw new ArgumentException($"Two {transport.Kind} transports given.", nameof(transports));
            }

            _byKind[(int)transport.Kind] = transport;
            transport.SendFailed += destination => SendFailed?.Invoke(destination);
        }
    }

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <summary>Every transport in the set.</summary>
    public IEnumerable<ISipTransport> All => _byKind.OfType<ISipTransport>();

    /// <summary>The transport of a kind, or null when the node does not run it (or no transport carries it yet: WS, WSS).</summary>
    public ISipTransport? Get(SipTransportKind kind) => (int)kind < _byKind.Length ? _byKind[(int)kind] : null;

    /// <summary>Starts every transport, each screening what it receives with <paramref name="screen"/> if given.</summary>
    public void Start(ISipMessageSink sink, IPacketScreen? screen = null)
    {
        foreach (var transport in All)
        {
            transport.Start(sink, screen);
        }
    }

    /// <inheritdoc />
    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        var transport = Get(destination.Transport);
        if (transport is null)
        {
            // Not run here: to the transaction layer this is an unreachable destination (RFC 3261 §8.1.3.1, a transport
            // error), which it logs with the destination's transport and reports to the transaction user.
            SendFailed?.Invoke(destination);
            return;
        }

        transport.Send(destination, message);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var transport in All)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }
}
