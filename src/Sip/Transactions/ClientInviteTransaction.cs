using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>The INVITE client transaction of RFC 3261 §17.1.1 (Figure 5), with RFC 6026's Accepted state.</summary>
public sealed class ClientInviteTransaction : ClientTransaction
{
    private TimeSpan _interval;
    private byte[]? _ack;

    internal ClientInviteTransaction(TransactionLayer layer, SipMessage request, SipEndPoint peer)
        : base(layer, request, peer)
    {
    }

    internal override void Start() => Run(() =>
    {
        State = TransactionState.Calling;
        Send(Request.Buffer);
        if (!Reliable)
        {
            _interval = Timers.T1;
            Start(SipTimer.A, _interval);
        }

        Start(SipTimer.B, Timers.SixtyFourT1);
        return null;
    });

    // RFC 6026 Figure 5: Accepted has no transport-error transition (it waits for Timer M, passing 2xx up).
    private protected override bool TransportErrorFails => State != TransactionState.Accepted;

    private protected override Action? OnResponse(SipMessage response)
    {
        var code = response.StatusCode;
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Proceeding when code < 200:
                State = TransactionState.Proceeding;
                Stop(SipTimer.A);
                Stop(SipTimer.B);
                return PassToUser(response);

            case TransactionState.Calling or TransactionState.Proceeding when code < 300:
                State = TransactionState.Accepted;
                Stop(SipTimer.A);
                Stop(SipTimer.B);
                Start(SipTimer.M, Timers.SixtyFourT1);
                return PassToUser(response);

            case TransactionState.Calling or TransactionState.Proceeding:
                State = TransactionState.Completed;
                Stop(SipTimer.A);
                Stop(SipTimer.B);
                _ack = SipRequests.CreateAckForFailure(Request, response);
                Send(_ack);
                StartOrTerminate(SipTimer.D, Reliable ? TimeSpan.Zero : Timers.TimerD);
                return PassToUser(response);

            case TransactionState.Accepted when code is >= 200 and < 300:
                return PassToUser(response); // a retransmission or another fork's 2xx: the TU ACKs each (RFC 6026 §8.4)

            case TransactionState.Completed when code >= 300:
                Send(_ack!); // the final response was retransmitted: our ACK was lost
                return null;

            default:
                return null;
        }
    }

    private protected override Action? OnTimer(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.A when State == TransactionState.Calling:
                Send(Request.Buffer);
                _interval *= 2;
                Start(SipTimer.A, _interval);
                return null;
            case SipTimer.B when State == TransactionState.Calling:
                return TimedOut();
            case SipTimer.D or SipTimer.M:
                Terminate();
                return null;
            default:
                return null;
        }
    }
}
