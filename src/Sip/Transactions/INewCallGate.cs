using CallControl.Sip.Messages;

namespace CallControl.Sip.Transactions;

/// <summary>
/// Screens a new call before any transaction exists for it, so that refusing it costs one parse and one send: no
/// 100 Trying, no server transaction, no timers; RFC 3261 §8.2.7 lets a UAS answer a request statelessly. An overloaded
/// edge spends its time on the calls in progress, not on the transactions of calls it turns away. A retransmission of
/// a refused INVITE is screened again (its refusal may have been lost), and its ACK carries the refusal's To tag, by
/// which the transaction user knows to drop it.
/// </summary>
public interface INewCallGate
{
    /// <summary>
    /// The response that refuses <paramref name="invite"/>, or null to take it. Called for each INVITE or REGISTER
    /// without a To tag that matches no transaction here (new work, never a retransmission of what was taken), before
    /// anything else is done with it; must return quickly and not throw.
    /// </summary>
    /// <param name="invite">The INVITE (or REGISTER).</param>
    /// <param name="waited">How long it waited in this process's receive queue (<see cref="Transport.ISipMessageSink"/>).</param>
    byte[]? Refuse(SipMessage invite, TimeSpan waited);
}
