using CallControl.Edge.Messages;
using CallControl.Grains;

namespace CallControl.Edge.Tests.Routing;

/// <summary>Which answer of a relayed message's targets the sender gets (RFC 3261 §16.7, for a non-INVITE).</summary>
public sealed class ForkAnswersTests
{
    private static readonly byte[] Bytes = [1];

    [Theory]
    [InlineData(new[] { 486, 200 }, 1, 200)] // a 2xx answers at once, even with targets still out
    [InlineData(new[] { 603 }, 2, 603)] // a 6xx too: no other device will do better
    [InlineData(new[] { 486 }, 1, 0)] // a failure waits for the rest
    [InlineData(new[] { 503, 486, 404 }, 0, 486)] // the lowest class, the first of it
    [InlineData(new[] { 302, 404 }, 0, 302)]
    public void Decide(int[] arrived, int outstanding, int expected)
    {
        var answer = ForkAnswers.Decide([.. arrived.Select(s => new RelayedAnswer(s, Bytes))], outstanding);

        Assert.Equal(expected, answer?.Status ?? 0);
    }

    [Fact]
    public void A_real_response_ranks_before_a_no_answer_of_the_same_class_and_nothing_at_all_is_408()
    {
        Assert.Equal(Bytes, ForkAnswers.Best([new RelayedAnswer(408), new RelayedAnswer(480, Bytes)]).Response);
        Assert.Equal(Bytes, ForkAnswers.Best([new RelayedAnswer(503), new RelayedAnswer(503, Bytes)]).Response);
        Assert.Equal(408, ForkAnswers.Best([]).Status);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(404, false)]
    [InlineData(486, false)]
    [InlineData(603, false)]
    [InlineData(200, false)]
    public void A_route_tries_its_next_target_after_no_answer_a_408_or_a_5xx(int status, bool next)
        => Assert.Equal(next, ForkAnswers.TriesNext(new RelayedAnswer(status)));
}
