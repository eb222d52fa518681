using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>A client transaction: sends a request and absorbs what the RFC says the TU must not see.</summary>
public abstract class ClientTransaction : SipTransaction
{
    private protected ClientTransaction(TransactionLayer layer, SipMessage request, SipEndPoint peer)
        : base(layer, TransactionKey.ForClientRequest(request), request, peer)
    {
    }

    /// <summary>The last response the transaction user was given, if any.</summary>
    public SipMessage? LastResponse { get; private protected set; }

    /// <summary>Sends the request and starts the timers.</summary>
    internal abstract void Start();

    /// <summary>A response matched this transaction.</summary>
    internal void Receive(SipMessage response) => Run(() => OnResponse(response));

    internal override void OnTransportError() => Run(() =>
    {
        if (!TransportErrorFails)
        {
            return null; // the TU already has the final response; the timers end the transaction as before
        }

        Terminate();
        return () => Layer.User.OnClientFailure(this, transportError: true);
    });

    /// <summary>
    /// Whether a transport error in the current state ends the transaction with a failure for the TU: only in
    /// the states whose figure has that transition (RFC 3261 Figures 5 and 6, RFC 6026 Figure 5).
    /// </summary>
    private protected abstract bool TransportErrorFails { get; }

    private protected abstract Action? OnResponse(SipMessage response);

    private protected Action PassToUser(SipMessage response)
    {
        LastResponse = response;
        return () => Layer.User.OnResponse(this, response);
    }

    private protected Action TimedOut()
    {
        Terminate();
        return () => Layer.User.OnClientFailure(this, transportError: false);
    }
}
