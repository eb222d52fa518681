using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>
/// The INVITE server transaction of RFC 3261 §17.2.1 (Figure 7), with RFC 6026's Accepted state. It also
/// does the UAS core's 2xx retransmission until the ACK (§13.3.1.4), so that the TU (a grain) is not asked to.
/// </summary>
public sealed class ServerInviteTransaction : ServerTransaction
{
    private ReadOnlyMemory<byte> _lastResponse;
    private TimeSpan _interval;

    internal ServerInviteTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipEndPoint source)
        : base(layer, key, request, source)
    {
        State = TransactionState.Proceeding;
    }

    /// <summary>True once an ACK for the 2xx arrived (or the final was a failure and its ACK arrived).</summary>
    public bool AckReceived { get; private set; }

    /// <summary>An ACK matched: stops retransmission of the final response.</summary>
    internal void ReceiveAck() => Run(() =>
    {
        switch (State)
        {
            case TransactionState.Completed:
                State = TransactionState.Confirmed;
                AckReceived = true;
                Stop(SipTimer.G);
                Stop(SipTimer.H);
                StartOrTerminate(SipTimer.I, Reliable ? TimeSpan.Zero : Timers.T4);
                break;
            case TransactionState.Accepted:
                AckReceived = true;
                Stop(SipTimer.Retransmit2xx);
                break;
            default:
                break;
        }

        return null;
    });

    private protected override bool OnSendResponse(SipMessage response)
    {
        var code = response.StatusCode;
        switch (State)
        {
            case TransactionState.Proceeding when code < 200:
                Transmit(response);
                return true;

            // Ready for the ACK before the response leaves: on loopback the ACK can come back within microseconds,
            // and one that found no accepted transaction would go unmatched and the 2xx be resent at T1.
            case TransactionState.Proceeding when code < 300:
                State = TransactionState.Accepted;
                Layer.TrackAccepted(this);
                if (!Reliable)
                {
                    _interval = Timers.T1;
                    Start(SipTimer.Retransmit2xx, _interval);
                }

                Start(SipTimer.L, Timers.SixtyFourT1);
                Transmit(response);
                return true;

            case TransactionState.Proceeding:
                State = TransactionState.Completed;
                if (!Reliable)
                {
                    _interval = Timers.T1;
                    Start(SipTimer.G, _interval);
                }

                Start(SipTimer.H, Timers.SixtyFourT1);
                Transmit(response);
                return true;

            case TransactionState.Accepted when code is >= 200 and < 300:
                Transmit(response); // the TU may resend its 2xx (RFC 6026 §7.1)
                return true;

            default:
                return false;
        }
    }

    private protected override Action? OnRetransmission()
    {
        // Proceeding and Completed resend the last response; Accepted and Confirmed absorb (RFC 6026 §7.1).
        if (State is TransactionState.Proceeding or TransactionState.Completed && !_lastResponse.IsEmpty)
        {
            Send(_lastResponse);
        }

        return null;
    }

    private protected override Action? OnTimer(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.G when State == TransactionState.Completed:
            case SipTimer.Retransmit2xx when State == TransactionState.Accepted && !AckReceived:
                Send(_lastResponse);
                _interval = Backoff(_interval);
                Start(timer, _interval);
                return null;
            case SipTimer.H when State == TransactionState.Completed:
                Terminate(); // no ACK for the failure: nothing more to do (§17.2.1)
                return null;
            case SipTimer.L:
                var unacknowledged = !AckReceived;
                Terminate();
                return unacknowledged ? () => Layer.User.OnAckTimeout(this) : null;
            case SipTimer.I:
                Terminate();
                return null;
            default:
                return null;
        }
    }

    private void Transmit(SipMessage response)
    {
        _lastResponse = response.Buffer;
        LastStatusCode = response.StatusCode;
        Send(_lastResponse);
    }
}
