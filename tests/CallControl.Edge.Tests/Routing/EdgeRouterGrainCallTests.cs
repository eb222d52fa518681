using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// How the router waits for a grain (<see cref="GrainCallPolicy"/>): a call whose silo is gone or that has no answer
/// within the timeout is tried again, a few times; one that still fails, or fails for another reason, gets a 503 with
/// Retry-After for the transaction it answers.
/// </summary>
public sealed class EdgeRouterGrainCallTests : IDisposable
{
    private readonly RouterHarness _edge = new(retries: 2);

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_call_whose_silo_is_gone_is_tried_again_and_the_answer_that_comes_goes_out()
    {
        var attempts = 0;
        _edge.Grains.Answer = call => ++attempts <= 2
            ? Task.FromException<SipCommand[]>(new SiloUnavailableException("the grain's silo was declared dead"))
            : Task.FromResult(RouterHarness.Respond(call.Message!, 180));
        _edge.Receive(RouterMessages.Invite());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(("call-1@test", GrainMethod.Request), Seen(await _edge.Grains.NextCallAsync()));
        }

        Assert.Equal(180, (await _edge.NextResponseAsync(180)).StatusCode);
    }

    [Fact]
    public async Task A_call_that_fails_every_attempt_gets_503_with_Retry_After_once_the_retries_are_spent()
    {
        _edge.Grains.Answer = _ => Task.FromException<SipCommand[]>(new SiloUnavailableException("gone"));
        _edge.Receive(RouterMessages.Invite());

        var refused = await _edge.NextResponseAsync(503);
        Assert.Equal("5", refused.GetHeader(HeaderId.RetryAfter));
        for (var i = 0; i < 3; i++)
        {
            await _edge.Grains.NextCallAsync(); // the first attempt and two retries, all before the 503
        }

        Assert.False(_edge.Grains.TryTakeCall(out _));
    }

    [Fact]
    public async Task A_call_that_fails_for_another_reason_than_its_silo_is_answered_at_once_without_a_retry()
    {
        _edge.Grains.Answer = _ => Task.FromException<SipCommand[]>(new InvalidOperationException("a bug in the grain"));
        _edge.Receive(RouterMessages.Invite());

        await _edge.NextResponseAsync(503);
        await _edge.Grains.NextCallAsync();
        Assert.False(_edge.Grains.TryTakeCall(out _)); // a second attempt would fail the same way
    }

    [Fact]
    public async Task A_call_with_no_answer_within_the_timeout_is_tried_again()
    {
        var attempts = 0;
        _edge.Grains.Answer = call => ++attempts == 1
            ? new TaskCompletionSource<SipCommand[]>().Task // its silo went silent
            : Task.FromResult(RouterHarness.Respond(call.Message!, 180));
        _edge.Receive(RouterMessages.Invite());

        await _edge.Grains.NextCallAsync();
        await _edge.Clock.ArmedAsync(RouterHarness.Timeout);
        _edge.Clock.Advance(RouterHarness.Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(_edge.Grains.TryTakeCall(out _)); // not before the timeout

        _edge.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(("call-1@test", GrainMethod.Request), Seen(await _edge.Grains.NextCallAsync()));
        Assert.Equal(180, (await _edge.NextResponseAsync(180)).StatusCode);
    }

    [Fact]
    public async Task Without_retries_a_timed_out_call_is_answered_with_503()
    {
        using var edge = new RouterHarness(retries: 0);
        edge.Grains.Answer = _ => new TaskCompletionSource<SipCommand[]>().Task;
        edge.Receive(RouterMessages.Invite());

        await edge.Grains.NextCallAsync();
        await edge.Clock.ArmedAsync(RouterHarness.Timeout);
        edge.Clock.Advance(RouterHarness.Timeout);
        await edge.NextResponseAsync(503);
        Assert.False(edge.Grains.TryTakeCall(out _));
    }

    [Fact]
    public async Task When_Orleans_bounds_each_attempt_the_edge_sets_no_timer_of_its_own_and_retries_its_timeouts()
    {
        using var edge = new RouterHarness(boundedByOrleans: true);
        var slow = new TaskCompletionSource<SipCommand[]>();
        var attempts = 0;
        edge.Grains.Answer = call => ++attempts == 1 ? slow.Task : Task.FromResult(RouterHarness.Respond(call.Message!, 180));
        edge.Receive(RouterMessages.Invite());

        await edge.Grains.NextCallAsync();
        edge.Clock.Advance(RouterHarness.Timeout);
        Assert.False(edge.Grains.TryTakeCall(out _)); // no timeout of the edge's own: still the first attempt

        slow.SetException(new TimeoutException("Orleans' response timeout")); // what Orleans throws at its own bound
        Assert.Equal(("call-1@test", GrainMethod.Request), Seen(await edge.Grains.NextCallAsync()));
        Assert.Equal(180, (await edge.NextResponseAsync(180)).StatusCode);
    }

    private static (string Key, GrainMethod Method) Seen(SeenCall call) => (call.Key, call.Method);
}
