using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>
/// Judges each parsed request before the transaction layer does anything with it (no transaction, no 100 Trying, no
/// response): for what only a parsed request shows, such as a scanner's User-Agent (src/Edge/Security). A request it
/// drops is forgotten, and each retransmission of it is judged again. Must be quick and must not throw.
/// </summary>
public interface IRequestScreen
{
    /// <summary>
    /// True to take <paramref name="request"/> from <paramref name="source"/> no further: unanswered, or answered with
    /// <paramref name="response"/> sent statelessly (RFC 3261 §8.2.7), as a challenge is.
    /// </summary>
    bool Drops(SipMessage request, SipEndPoint source, out byte[]? response);
}
