using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>
/// What the four RFC 3261 §17 state machines share: identity, the request, the peer, the state, and
/// timers on the injected <see cref="TimeProvider"/>. Every event runs under the transaction's lock; what the
/// transaction user must hear is returned as an action and run after the lock is released.
/// </summary>
public abstract class SipTransaction
{
    private readonly ITimer?[] _timers = new ITimer?[Enum.GetValues<SipTimer>().Length];

    private protected SipTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipEndPoint peer)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Peer = peer;
    }

    /// <summary>The transaction's identity in the layer's table.</summary>
    public TransactionKey Key { get; }

    /// <summary>The request that created the transaction.</summary>
    public SipMessage Request { get; }

    /// <summary>The other end: where requests go (client) or where responses go (server).</summary>
    public SipEndPoint Peer { get; private protected set; }

    /// <summary>The current state.</summary>
    public TransactionState State { get; private protected set; }

    /// <summary>Arbitrary data the transaction user attaches (for example, which call the transaction serves).</summary>
    public object? UserState { get; set; }

    private protected object Gate { get; } = new();

    private protected TransactionLayer Layer { get; }

    private protected SipTimerOptions Timers => Layer.Timers;

    private protected bool Reliable => Peer.Transport.IsReliable();

    /// <summary>Runs an event under the lock, then what it returned for the transaction user.</summary>
    private protected void Run(Func<Action?> handler)
    {
        Action? notify;
        lock (Gate)
        {
            notify = State == TransactionState.Terminated ? null : handler();
        }

        notify?.Invoke();
    }

    private protected void Send(ReadOnlyMemory<byte> message) => Layer.Sender.Send(Peer, message);

    /// <summary>Starts (or restarts) a timer; zero fires at once (after the current event).</summary>
    private protected void Start(SipTimer timer, TimeSpan due)
    {
        var index = (int)timer;
        _timers[index]?.Dispose();
        _timers[index] = Layer.Time.CreateTimer(
            static state =>
            {
                var (transaction, which) = ((SipTransaction, SipTimer))state!;
                transaction.Run(() => transaction.OnTimer(which));
            },
            (this, timer),
            due,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts a "wait" timer, or terminates now when it is zero (reliable transports: RFC 3261 Table 4).</summary>
    private protected void StartOrTerminate(SipTimer timer, TimeSpan due)
    {
        if (due <= TimeSpan.Zero)
        {
            Terminate();
        }
        else
        {
            Start(timer, due);
        }
    }

    private protected void Stop(SipTimer timer)
    {
        var index = (int)timer;
        _timers[index]?.Dispose();
        _timers[index] = null;
    }

    /// <summary>Enters Terminated: every timer stops and the layer forgets the transaction.</summary>
    private protected void Terminate()
    {
        State = TransactionState.Terminated;
        for (var i = 0; i < _timers.Length; i++)
        {
            _timers[i]?.Dispose();
            _timers[i] = null;
        }

        Layer.Remove(this);
    }

    /// <summary>A timer fired (under the lock). Returns what the transaction user must hear, if anything.</summary>
    private protected abstract Action? OnTimer(SipTimer timer);

    /// <summary>The transport could not deliver to the peer (under the lock).</summary>
    internal abstract void OnTransportError();

    /// <summary>The next retransmit interval: double, capped at T2 (RFC 3261 §17.1.2.2, §17.2.1).</summary>
    private protected TimeSpan Backoff(TimeSpan current) => current * 2 < Timers.T2 ? current * 2 : Timers.T2;
}
