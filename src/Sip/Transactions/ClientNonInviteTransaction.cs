using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>The non-INVITE client transaction of RFC 3261 §17.1.2 (Figure 6).</summary>
public sealed class ClientNonInviteTransaction : ClientTransaction
{
    private TimeSpan _interval;

    internal ClientNonInviteTransaction(TransactionLayer layer, SipMessage request, SipEndPoint peer)
        : base(layer, request, peer)
    {
    }

    internal override void Start() => Run(() =>
    {
        State = TransactionState.Trying;
        Send(Request.Buffer);
        if (!Reliable)
        {
            _interval = Timers.T1;
            Start(SipTimer.E, _interval);
        }

        Start(SipTimer.F, Timers.SixtyFourT1);
        return null;
    });

    // Figure 6: Trying and Proceeding only; Completed has no transport-error transition.
    private protected override bool TransportErrorFails => State is TransactionState.Trying or TransactionState.Proceeding;

    private protected override Action? OnResponse(SipMessage response)
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return null; // Completed absorbs retransmitted finals
        }

        if (response.StatusCode < 200)
        {
            State = TransactionState.Proceeding;
            return PassToUser(response);
        }

        State = TransactionState.Completed;
        Stop(SipTimer.E);
        Stop(SipTimer.F);
        StartOrTerminate(SipTimer.K, Reliable ? TimeSpan.Zero : Timers.T4);
        return PassToUser(response);
    }

    private protected override Action? OnTimer(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.E when State is TransactionState.Trying or TransactionState.Proceeding:
                Send(Request.Buffer);
                _interval = State == TransactionState.Proceeding ? Timers.T2 : Backoff(_interval);
                Start(SipTimer.E, _interval);
                return null;
            case SipTimer.F when State is TransactionState.Trying or TransactionState.Proceeding:
                return TimedOut();
            case SipTimer.K:
                Terminate();
                return null;
            default:
                return null;
        }
    }
}
