using System.Net.Sockets;

namespace CallControl.Sip.Transport;

/// <summary>
/// The transports a node listens on, as one sender that picks the transport a destination names. A dual-stack node has
/// one transport of a kind per IP family (a socket bound to an IPv4 address cannot send to an IPv6 one, nor the other
/// way round), and a destination goes out through the one of its family.
/// </summary>
public sealed class TransportSet : ISipSender, IAsyncDisposable
{
    // One slot per kind, so a kind added to the enum needs nothing here: a kind no transport carries has an empty slot.
    // Each slot holds the kind's first transport; _otherFamily the same kind's transport of the other family, if any.
    private readonly ISipTransport?[] _byKind = new ISipTransport?[Enum.GetValues<SipTransportKind>().Length];
    private readonly ISipTransport?[] _otherFamily = new ISipTransport?[Enum.GetValues<SipTransportKind>().Length];

    /// <summary>Groups already-created transports; at most one per kind and IP family.</summary>
    public TransportSet(IEnumerable<ISipTransport> transports)
    {
        foreach (var transport in transports)
        {
            var kind = (int)transport.Kind;
            if (_byKind[kind] is null)
            {
                _byKind[kind] = transport;
            }
            else if (_otherFamily[kind] is null && _byKind[kind]!.LocalEndPoint.AddressFamily != transport.LocalEndPoint.AddressFamily)
            {
                _otherFamily[kind] = transport;
            }
            else
            {
                throw new ArgumentException($"Two {transport.Kind} transports of one IP family given.", nameof(transports));
            }

            transport.SendFailed += destination => SendFailed?.Invoke(destination);
        }
    }

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <summary>Every transport in the set.</summary>
    public IEnumerable<ISipTransport> All => _byKind.Concat(_otherFamily).OfType<ISipTransport>();

    /// <summary>The (first) transport of a kind, or null when the node does not run it.</summary>
    public ISipTransport? Get(SipTransportKind kind) => (int)kind < _byKind.Length ? _byKind[(int)kind] : null;

    /// <summary>The transport of a kind that can reach addresses of <paramref name="family"/>: the kind's own when it is a single one.</summary>
    public ISipTransport? Get(SipTransportKind kind, AddressFamily family)
    {
        var first = Get(kind);
        return first is not null && first.LocalEndPoint.AddressFamily != family && _otherFamily[(int)kind] is { } other ? other : first;
    }

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
        var transport = Get(destination.Transport, destination.Address.AddressFamily);
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
