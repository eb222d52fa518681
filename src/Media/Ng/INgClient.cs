using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>
/// Sends ng commands to any rtpengine by address (a call talks to the one in its state, healthy or not) and returns the
/// reply dictionary. Typed commands are extension methods (<see cref="NgCommands"/>), so a test can fake this alone.
/// </summary>
public interface INgClient
{
    /// <summary>
    /// Sends <paramref name="command"/> with <paramref name="arguments"/> under a new cookie, retransmitting the same
    /// datagram per <paramref name="retry"/> (default: the configured one). Returns the reply unless it is
    /// <c>result: error</c> (<see cref="NgErrorException"/>); throws <see cref="NgTimeoutException"/> when every attempt
    /// goes unanswered and <see cref="NgProtocolException"/> for a reply that is not ng.
    /// </summary>
    Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken);
}
