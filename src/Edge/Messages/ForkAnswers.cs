using CallControl.Grains;

namespace CallControl.Edge.Messages;

/// <summary>
/// Which final answer of a relayed message's targets the sender gets, as a forking proxy chooses (RFC 3261 §16.7): a
/// 2xx at once, a 6xx at once (a global failure: no other device will do better), otherwise, once every target has
/// answered, the best of the failures (the lowest class, a real response before a no-answer of ours, the first).
/// </summary>
internal static class ForkAnswers
{
    /// <summary>The answer to give now, given the answers <paramref name="arrived"/> and how many are still <paramref name="outstanding"/>; null: wait.</summary>
    public static RelayedAnswer? Decide(IReadOnlyList<RelayedAnswer> arrived, int outstanding)
    {
        foreach (var answer in arrived)
        {
            if (answer.Status is >= 200 and < 300 or >= 600)
            {
                return answer;
            }
        }

        return outstanding > 0 ? null : Best(arrived);
    }

    /// <summary>True when a route's next target should have the message after <paramref name="answer"/>: no answer, a 408 or a 5xx.</summary>
    public static bool TriesNext(RelayedAnswer answer) => answer.Status is 408 or (>= 500 and < 600);

    /// <summary>The best failure (RFC 3261 §16.7 step 6): the lowest class, a real response before a no-answer of ours; 408 when there is none.</summary>
    public static RelayedAnswer Best(IReadOnlyList<RelayedAnswer> answers)
    {
        RelayedAnswer? best = null;
        foreach (var answer in answers)
        {
            if (best is null || Rank(answer) < Rank(best))
            {
                best = answer;
            }
        }

        return best ?? new RelayedAnswer(408);
    }

    // 6xx outranks all (never reached here: Decide answers it at once); then 3xx, 4xx, 5xx; a response before none.
    private static int Rank(RelayedAnswer answer)
        => (answer.Status >= 600 ? 0 : answer.Status / 100 * 2) + (answer.Response is null ? 1 : 0);
}
