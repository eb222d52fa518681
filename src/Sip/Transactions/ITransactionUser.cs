using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>
/// The layer above transactions (RFC 3261's TU): the edge's router. Called outside any transaction lock;
/// implementations must return quickly and not throw.
/// </summary>
public interface ITransactionUser
{
    /// <summary>A new request created a server transaction (never a retransmission; never an ACK).</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK for a 2xx (end to end, RFC 3261 §13.2.2.4), or an ACK no transaction claims.</summary>
    /// <param name="ack">The ACK.</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="answered">The INVITE server transaction whose 2xx it acknowledges (its retransmissions have now
    /// stopped), or null when none here sent that 2xx (it ended, or lived on another edge).</param>
    void OnAck(SipMessage ack, SipEndPoint source, ServerTransaction? answered);

    /// <summary>A response for a client transaction: each provisional, the final, and 2xx retransmissions (RFC 6026).</summary>
    void OnResponse(ClientTransaction transaction, SipMessage response);

    /// <summary>A response no client transaction claims (for example, its transaction lived on another edge).</summary>
    void OnStrayResponse(SipMessage response, SipEndPoint source);

    /// <summary>A client transaction ended without a final response: Timer B or F, or a transport error (RFC 3261 §8.1.3.1: treat as 408 or 503).</summary>
    void OnClientFailure(ClientTransaction transaction, bool transportError);

    /// <summary>A 2xx to an INVITE was retransmitted for 64×T1 without an ACK (RFC 3261 §13.3.1.4): the session should end.</summary>
    void OnAckTimeout(ServerTransaction transaction);
}
