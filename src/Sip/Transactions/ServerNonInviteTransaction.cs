using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8).</summary>
public sealed class ServerNonInviteTransaction : ServerTransaction
{
    private ReadOnlyMemory<byte> _lastResponse;

    internal ServerNonInviteTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipEndPoint source)
        : base(layer, key, request, source)
    {
        State = TransactionState.Trying;
    }

    private protected override bool OnSendResponse(SipMessage response)
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return false;
        }

        _lastResponse = response.Buffer;
        LastStatusCode = response.StatusCode;
        Send(_lastResponse);
        if (response.StatusCode < 200)
        {
            State = TransactionState.Proceeding;
        }
        else
        {
            State = TransactionState.Completed;
            StartOrTerminate(SipTimer.J, Reliable ? TimeSpan.Zero : Timers.SixtyFourT1);
        }

        return true;
    }

    private protected override Action? OnRetransmission()
    {
        // Trying absorbs; Proceeding and Completed resend the last response.
        if (!_lastResponse.IsEmpty)
        {
            Send(_lastResponse);
        }

        return null;
    }

    private protected override Action? OnTimer(SipTimer timer)
    {
        if (timer == SipTimer.J)
        {
            Terminate();
        }

        return null;
    }
}
