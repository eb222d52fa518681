using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;

namespace CallControl.Edge.Routing;

/// <summary>
/// What the grain said it need not hear back about a message (<see cref="SipCommandFlags"/>), kept as the
/// <see cref="SipTransaction.UserState"/> of the transaction that carries the message, where the router reads it.
/// </summary>
internal static class TransactionNotes
{
    private static readonly object NoReport = new();
    private static readonly object ChallengesOnly = new();
    private static readonly object TakesEmptyAck = new();

    /// <summary>The note for a request the grain sends with <paramref name="flags"/>.</summary>
    public static object? ForRequest(SipCommandFlags flags) => flags.HasFlag(SipCommandFlags.NoReport)
        ? flags.HasFlag(SipCommandFlags.ReportChallenge) ? ChallengesOnly : NoReport
        : null;

    /// <summary>Notes on <paramref name="server"/> what its response's <paramref name="flags"/> say.</summary>
    public static void OnResponseSent(ServerTransaction server, SipCommandFlags flags)
    {
        if (flags.HasFlag(SipCommandFlags.EdgeTakesEmptyAck))
        {
            server.UserState = TakesEmptyAck;
        }
    }

    /// <summary>The grain wants no response or failure of this client transaction.</summary>
    public static bool IsUnreported(ClientTransaction transaction) => ReferenceEquals(transaction.UserState, NoReport) || ReferenceEquals(transaction.UserState, ChallengesOnly);

    /// <summary>The grain wants no response of this client transaction but <paramref name="response"/>'s kind (a challenge, for one that asked to hear those).</summary>
    public static bool IsUnreported(ClientTransaction transaction, SipMessage response)
        => ReferenceEquals(transaction.UserState, NoReport)
            || (ReferenceEquals(transaction.UserState, ChallengesOnly) && response.StatusCode is not (401 or 407));

    /// <summary>The ACK ends here: it acknowledges a 2xx whose grain needs only an ACK with a body, and has none.</summary>
    public static bool IsTakenHere(SipMessage ack, ServerTransaction? answered)
        => answered is not null && ReferenceEquals(answered.UserState, TakesEmptyAck) && !ack.HasBody;
}
