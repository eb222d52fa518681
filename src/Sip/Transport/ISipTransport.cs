using System.Net;

namespace CallControl.Sip.Transport;

/// <summary>Receives whole SIP messages from a transport: the next layer up (parsing, then transactions).</summary>
public interface ISipMessageSink
{
    /// <summary>
    /// One message's bytes (a datagram, or one Content-Length-framed message from a stream). The buffer
    /// belongs to the sink from here on. Must not throw.
    /// </summary>
    /// <param name="message">The message's bytes.</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="waited">How long it waited in this process after it was received (UDP's receive queue); zero when
    /// the transport hands each message on as it is read.</param>
    void OnMessage(ReadOnlyMemory<byte> message, SipEndPoint source, TimeSpan waited);
}

/// <summary>Sends SIP messages. Implemented by each transport and by <see cref="TransportSet"/>, which picks one.</summary>
public interface ISipSender
{
    /// <summary>
    /// Queues a message for sending and returns at once. Failures are logged and reported through
    /// <see cref="SendFailed"/>; they are never thrown to the caller, which is usually a timer or a receive loop.
    /// </summary>
    void Send(SipEndPoint destination, ReadOnlyMemory<byte> message);

    /// <summary>Raised when a message could not be delivered (connection refused, reset, no route).</summary>
    event Action<SipEndPoint>? SendFailed;
}

/// <summary>A listening transport.</summary>
public interface ISipTransport : ISipSender, IAsyncDisposable
{
    /// <summary>Which transport this is.</summary>
    SipTransportKind Kind { get; }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds the socket (so <see cref="LocalEndPoint"/> knows the real port); idempotent.</summary>
    void Bind();

    /// <summary>
    /// Binds if needed and starts receiving, delivering messages to <paramref name="sink"/>; <paramref name="screen"/>,
    /// if given, judges each message and inbound connection by its source first.
    /// </summary>
    void Start(ISipMessageSink sink, IPacketScreen? screen = null);
}
