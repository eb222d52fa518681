using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;

namespace CallControl.Edge.Messages;

/// <summary>
/// The <see cref="SipTransaction.UserState"/> of a relayed MESSAGE's or OPTIONS' client transaction: its final answer
/// goes to whoever waits on <see cref="Answer"/>, never to a grain. The first final answer counts; later ones (a
/// retransmitted 200) change nothing.
/// </summary>
internal sealed class RelayNote
{
    private readonly TaskCompletionSource<RelayedAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The final answer, when it comes.</summary>
    public Task<RelayedAnswer> Answer => _answer.Task;

    /// <summary>Takes <paramref name="response"/> when it is final; a provisional only stopped retransmissions.</summary>
    public void Responded(SipMessage response)
    {
        if (response.StatusCode >= 200)
        {
            _answer.TrySetResult(new RelayedAnswer(response.StatusCode, response.Buffer.ToArray()));
        }
    }

    /// <summary>No final answer: Timer F (408) or a transport error (503, RFC 3261 §8.1.3.1).</summary>
    public void Failed(bool transportError) => _answer.TrySetResult(new RelayedAnswer(transportError ? 503 : 408));

    /// <summary>The note of <paramref name="transaction"/>, if it carries a relayed message.</summary>
    public static RelayNote? Of(ClientTransaction transaction) => transaction.UserState as RelayNote;

    /// <summary>True for a response to a relayed message whose transaction has ended: it concerns no grain.</summary>
    public static bool IsLateAnswer(SipMessage response) => response.CallId.StartsWith(IMessageRelayGrain.CallIdPrefix, StringComparison.Ordinal);
}
