using System.Collections.Concurrent;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Transactions;

/// <summary>
/// The transaction layer of RFC 3261 §17: matches each incoming message to its transaction (§17.1.3,
/// §17.2.3), creates server transactions for new requests, and runs client transactions for the TU.
/// Retransmissions stop here; the TU sees each request and response once.
/// </summary>
public sealed partial class TransactionLayer
{
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> _server = new();
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> _client = new();

    // INVITE server transactions whose 2xx awaits its ACK, by Call-ID and CSeq number: the ACK for a 2xx is a
    // new transaction with its own branch (§17.1.1.3), so this is how it stops the 2xx retransmission.
    private readonly ConcurrentDictionary<(string CallId, uint CSeq), ServerInviteTransaction> _accepted = new();
    private readonly ILogger _logger;
    private readonly Stack.SipMetrics? _metrics;
    private ITransactionUser? _user;
    private INewCallGate? _gate;
    private IRequestScreen? _screen;
    private readonly int _maxServer;

    /// <summary>
    /// Creates the layer over a sender, on a clock; it counts its transactions in <paramref name="metrics"/>, if given,
    /// and holds at most <paramref name="maxServerTransactions"/> server transactions: beyond, a new request is answered
    /// 503 statelessly, so a flood from many sources cannot grow the table without bound.
    /// </summary>
    public TransactionLayer(ISipSender sender, TimeProvider time, SipTimerOptions timers, ILogger<TransactionLayer> logger, Stack.SipMetrics? metrics = null, int maxServerTransactions = int.MaxValue)
    {
        _maxServer = maxServerTransactions;
        _metrics = metrics;
        Sender = sender;
        Time = time;
        Timers = timers;
        _logger = logger;
        sender.SendFailed += OnSendFailed;
    }

    /// <summary>Open server transactions.</summary>
    public int ServerCount => _server.Count;

    /// <summary>Open client transactions.</summary>
    public int ClientCount => _client.Count;

    /// <summary>
    /// Transactions still waiting for their final response, client and server: what a draining edge waits for.
    /// The others only linger to absorb retransmissions (Timers D, G/H, I, J, K, L): a request retransmitted
    /// because its final response was lost reaches another edge once this one is gone, and its grain answers again.
    /// </summary>
    public int UnfinishedCount
    {
        get
        {
            var count = 0;
            foreach (var (_, transaction) in _server)
            {
                count += transaction.State is TransactionState.Trying or TransactionState.Proceeding ? 1 : 0;
            }

            foreach (var (_, transaction) in _client)
            {
                count += transaction.State is TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding ? 1 : 0;
            }

            return count;
        }
    }

    internal ISipSender Sender { get; }

    internal TimeProvider Time { get; }

    internal SipTimerOptions Timers { get; }

    internal ITransactionUser User => _user ?? throw new InvalidOperationException("No transaction user attached.");

    /// <summary>
    /// Attaches the layer above, what screens its new calls, and what screens every request, if anything; must happen
    /// before the first message arrives.
    /// </summary>
    public void Attach(ITransactionUser user, INewCallGate? gate = null, IRequestScreen? screen = null) => (_user, _gate, _screen) = (user, gate, screen);

    /// <summary>Handles one parsed, validated message from the transport.</summary>
    /// <param name="message">The message.</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="waited">How long it waited in the receive queue: what the <see cref="INewCallGate"/> is told.</param>
    public void Receive(SipMessage message, SipEndPoint source, TimeSpan waited = default)
    {
        if (message.IsRequest)
        {
            ReceiveRequest(message, source, waited);
        }
        else if (_client.TryGetValue(TransactionKey.ForClient(message), out var transaction))
        {
            transaction.Receive(message);
        }
        else
        {
            User.OnStrayResponse(message, source);
        }
    }

    /// <summary>Starts a client transaction that sends <paramref name="request"/> to <paramref name="destination"/>.</summary>
    /// <remarks>ACK is not a transaction: send it with <see cref="SendStateless"/>.</remarks>
    public ClientTransaction SendRequest(SipMessage request, SipEndPoint destination, object? userState = null)
    {
        if (request.Method == SipMethod.Ack)
        {
            throw new ArgumentException("An ACK has no client transaction; send it with SendStateless.", nameof(request));
        }

        ClientTransaction transaction = request.Method == SipMethod.Invite
            ? new ClientInviteTransaction(this, request, destination)
            : new ClientNonInviteTransaction(this, request, destination);
        transaction.UserState = userState;
        _metrics?.TransactionCreated("client", request.CSeq.MethodName);
        if (!_client.TryAdd(transaction.Key, transaction))
        {
            throw new InvalidOperationException($"A client transaction with branch {transaction.Key.Branch} is already open.");
        }

        transaction.Start();
        return transaction;
    }

    /// <summary>Sends a message outside any transaction: an ACK for a 2xx, or a response with no transaction.</summary>
    public void SendStateless(ReadOnlyMemory<byte> message, SipEndPoint destination) => Sender.Send(destination, message);

    /// <summary>Finds the open server transaction a response we are about to send belongs to.</summary>
    public ServerTransaction? FindServer(TransactionKey key) => _server.GetValueOrDefault(key);

    internal void TrackAccepted(ServerInviteTransaction transaction)
        => _accepted[(transaction.Request.CallId, transaction.Request.CSeq.Number)] = transaction;

    internal void Remove(SipTransaction transaction)
    {
        switch (transaction)
        {
            case ServerInviteTransaction invite:
                _server.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(invite.Key, invite));
                _accepted.TryRemove(new KeyValuePair<(string, uint), ServerInviteTransaction>((invite.Request.CallId, invite.Request.CSeq.Number), invite));
                break;
            case ServerTransaction server:
                _server.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(server.Key, server));
                break;
            case ClientTransaction client:
                _client.TryRemove(new KeyValuePair<TransactionKey, ClientTransaction>(client.Key, client));
                break;
            default:
                break;
        }
    }

    private void ReceiveRequest(SipMessage request, SipEndPoint source, TimeSpan waited)
    {
        if (_screen is not null && _screen.Drops(request, source, out var screened))
        {
            if (screened is not null)
            {
                Sender.Send(ServerTransaction.ResponseDestination(request, source), screened);
            }

            return;
        }

        var key = TransactionKey.ForServer(request);
        if (request.Method == SipMethod.Ack)
        {
            ReceiveAck(request, source, key);
            return;
        }

        if (_server.TryGetValue(key, out var existing))
        {
            existing.ReceiveRetransmission();
            return;
        }

        if (request.Method is SipMethod.Invite or SipMethod.Register && request.To.Tag is null && _gate?.Refuse(request, waited) is { } refusal)
        {
            Sender.Send(ServerTransaction.ResponseDestination(request, source), refusal); // stateless: no transaction remembers it
            return;
        }

        if (_server.Count >= _maxServer)
        {
            // Full: the request is answered without a transaction (RFC 3261 §8.2.7, §21.5.4) and its sender may retry.
            _metrics?.Rejected("TransactionTableFull");
            Sender.Send(ServerTransaction.ResponseDestination(request, source), SipResponses.Create(request, 503, "Too Many Transactions").Add(HeaderId.RetryAfter, 5).ToArray());
            return;
        }

        ServerTransaction transaction = request.Method == SipMethod.Invite
            ? new ServerInviteTransaction(this, key, request, source)
            : new ServerNonInviteTransaction(this, key, request, source);
        if (!_server.TryAdd(key, transaction))
        {
            _server[key].ReceiveRetransmission(); // the same request raced in on another thread
            return;
        }

        _metrics?.TransactionCreated("server", request.CSeq.MethodName);
        if (request.Method == SipMethod.Cancel)
        {
            transaction.CancelledInvite = _server.GetValueOrDefault(key.WithMethod(SipMethod.Invite)) as ServerInviteTransaction;
        }

        if (request.Method == SipMethod.Invite && Timers.SendTryingImmediately)
        {
            transaction.SendResponse(SipResponses.Simple(request, 100));
        }

        User.OnRequest(transaction);
    }

    private void ReceiveAck(SipMessage ack, SipEndPoint source, TransactionKey key)
    {
        ServerInviteTransaction? answered = null;
        if (_server.GetValueOrDefault(key) is ServerInviteTransaction invite)
        {
            var forFailure = invite.State is TransactionState.Completed or TransactionState.Confirmed;
            invite.ReceiveAck();
            if (forFailure)
            {
                return; // the ACK of a non-2xx is hop-by-hop: it ends here (§17.2.1)
            }

            answered = invite;
        }
        else if (_accepted.TryGetValue((ack.CallId, ack.CSeq.Number), out var accepted))
        {
            accepted.ReceiveAck();
            answered = accepted;
        }

        User.OnAck(ack, source, answered);
    }

    private void OnSendFailed(SipEndPoint destination)
    {
        foreach (var transaction in _client.Values)
        {
            if (transaction.Peer.Address.Equals(destination.Address) && transaction.Peer.Transport == destination.Transport)
            {
                Log.TransportError(_logger, transaction.Key.Branch, destination);
                transaction.OnTransportError();
            }
        }

        foreach (var transaction in _server.Values)
        {
            if (transaction.Peer == destination)
            {
                transaction.OnTransportError();
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Client transaction {Branch} failed: cannot reach {Destination}")]
        public static partial void TransportError(ILogger logger, string branch, SipEndPoint destination);
    }
}
