using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Flows.Tests;

/// <summary>Forwarding: always, on busy, on no answer; the Diversion it adds, and the hop limit that stops loops.</summary>
public sealed class ForwardFlowTests
{
    private const string Voicemail = "sip:vm-100@voicemail.example";
    private const string Desk = "sip:alice@10.0.0.5";

    private static FlowHarness Harness(string parameters, CallFacts? call = null) => new(new ForwardFlow(), parameters, call);

    private static CallFacts WithHeader(string name, string value)
        => FlowHarness.Facts() with { Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name] = value } };

    private static DialTarget Forwarded(FlowAction action, string diversion)
    {
        var target = Assert.Single(Assert.IsType<Dial>(action).Targets);
        Assert.Equal(Voicemail, target.Uri);
        Assert.Equal(diversion, Assert.Contains("Diversion", target.Headers!));
        return target;
    }

    [Fact]
    public async Task Always_forwards_at_once_naming_the_dialled_user_and_the_forward_failing_is_final()
    {
        var call = Harness($$"""{"target":"{{Voicemail}}"}""");

        var dial = Assert.IsType<Dial>(await call.StartAsync());
        Forwarded(dial, "<sip:100@pbx.example>;reason=unconditional;counter=1");
        Assert.Null(dial.RingTimeout);
        Assert.True(Assert.IsType<ForwardState>(call.State).Forwarded);
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task Always_names_the_original_when_there_is_one()
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"always","original":"{{Desk}}"}""");

        Forwarded(await call.StartAsync(), $"<{Desk}>;reason=unconditional;counter=1");
    }

    [Fact]
    public async Task Busy_rings_the_original_for_the_default_ring_time_then_forwards_when_busy()
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"busy","original":"{{Desk}}"}""");

        var first = Assert.IsType<Dial>(await call.StartAsync());
        Assert.Equal(Desk, Assert.Single(first.Targets).Uri);
        Assert.Null(Assert.Single(first.Targets).Headers);
        Assert.Equal(TimeSpan.FromSeconds(20), first.RingTimeout);
        Forwarded(await call.DialFailsAsync(DialResult.Busy), $"<{Desk}>;reason=user-busy;counter=1");
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.Busy));
    }

    [Theory]
    [InlineData(DialResult.NoAnswer, 480, "no-answer")]
    [InlineData(DialResult.Unreachable, 408, "unavailable")]
    public async Task No_answer_rings_the_original_for_its_ring_time_then_forwards(DialResult result, int status, string reason)
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"noAnswer","original":"{{Desk}}","ringSeconds":12}""");

        Assert.Equal(TimeSpan.FromSeconds(12), Assert.IsType<Dial>(await call.StartAsync()).RingTimeout);
        Forwarded(await call.DialFailsAsync(result, status), $"<{Desk}>;reason={reason};counter=1");
    }

    [Theory]
    [InlineData(ForwardFlow.Busy, DialResult.NoAnswer, 480)]
    [InlineData(ForwardFlow.Busy, DialResult.Unreachable, 503)]
    [InlineData(ForwardFlow.Busy, DialResult.Rejected, 603)]
    [InlineData(ForwardFlow.NoAnswer, DialResult.Busy, 486)]
    [InlineData(ForwardFlow.NoAnswer, DialResult.Rejected, 603)]
    [InlineData(ForwardFlow.BusyOrNoAnswer, DialResult.Rejected, 603)]
    [InlineData(ForwardFlow.BusyOrNoAnswer, DialResult.Rejected, 404)]
    public async Task A_failure_the_mode_does_not_forward_on_is_relayed(string mode, DialResult result, int status)
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"{{mode}}","original":"{{Desk}}"}""");
        await call.StartAsync();

        Assert.IsType<GiveUp>(await call.DialFailsAsync(result, status));
        Assert.False(Assert.IsType<ForwardState>(call.State).Forwarded);
    }

    [Theory]
    [InlineData(DialResult.Busy, 486, "user-busy")]
    [InlineData(DialResult.Busy, 600, "user-busy")]
    [InlineData(DialResult.NoAnswer, 480, "no-answer")]
    [InlineData(DialResult.Unreachable, 503, "unavailable")]
    public async Task Busy_or_no_answer_forwards_on_either(DialResult result, int status, string reason)
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"busyOrNoAnswer","original":"{{Desk}}"}""");
        await call.StartAsync();

        Forwarded(await call.DialFailsAsync(result, status), $"<{Desk}>;reason={reason};counter=1");
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task An_answered_original_is_the_end_of_it()
    {
        var call = Harness($$"""{"target":"{{Voicemail}}","mode":"busyOrNoAnswer","original":"{{Desk}}"}""");
        await call.StartAsync();
        await call.AnsweredAsync();
        await call.EndedAsync(TimeSpan.FromSeconds(30));

        Assert.Single(call.Actions);
        Assert.Null(call.State);
    }

    [Theory]
    [InlineData("Diversion", "<sip:bob@pbx.example>;reason=no-answer;counter=4", 5)]
    [InlineData("Diversion", "<sip:bob@pbx.example>;reason=no-answer", 2)]
    [InlineData("Diversion", "\"Bob, Jr\" <sip:bob@pbx.example>;counter=2, <sip:carol@pbx.example>;reason=user-busy", 4)]
    [InlineData("diversion", "<sip:bob@pbx.example>;counter=x", 2)]
    [InlineData("History-Info", "<sip:100@pbx.example>;index=1, <sip:bob@pbx.example?Reason=SIP%3Bcause%3D302>;index=1.1", 2)]
    public async Task A_diverted_call_is_forwarded_with_the_hops_so_far_counted(string header, string value, int counter)
    {
        var call = Harness($$"""{"target":"{{Voicemail}}"}""", WithHeader(header, value));

        Forwarded(await call.StartAsync(), $"<sip:100@pbx.example>;reason=unconditional;counter={counter}");
    }

    [Theory]
    [InlineData("Diversion", "<sip:bob@pbx.example>;reason=no-answer;counter=5", """{"mode":"always"}""")]
    [InlineData("Diversion", "<sip:a@x>, <sip:b@x>, <sip:c@x>;counter=3", """{"mode":"always"}""")]
    [InlineData("Diversion", "<sip:bob@pbx.example>", """{"mode":"busy","original":"sip:alice@10.0.0.5","maxHops":1}""")]
    [InlineData("History-Info", "<sip:a@x>;index=1, <sip:b@x>;index=1.1, <sip:c@x>;index=1.1.1, <sip:d@x>;index=1.1.1.1, <sip:e@x>;index=1.1.1.1.1, <sip:f@x>;index=1.1.1.1.1.1", """{"mode":"noAnswer","original":"sip:alice@10.0.0.5"}""")]
    public async Task A_call_diverted_max_hops_times_is_refused_with_483(string header, string value, string parameters)
    {
        var json = parameters.Replace("{", $$"""{"target":"{{Voicemail}}",""", StringComparison.Ordinal);
        var call = Harness(json, WithHeader(header, value));

        var reject = Assert.IsType<Reject>(await call.StartAsync());
        Assert.Equal(483, reject.Status);
    }

    [Fact]
    public async Task Two_users_forwarding_to_each_other_are_stopped_after_max_hops()
    {
        // Each forwarded INVITE comes back as a new call to the other user, with the Diversion we added.
        var facts = FlowHarness.Facts();
        var forwards = 0;
        while (true)
        {
            var action = await new FlowHarness(new ForwardFlow(), """{"target":"sip:other@pbx.example","maxHops":3}""", facts).StartAsync();
            if (action is not Dial dial)
            {
                Assert.Equal(483, Assert.IsType<Reject>(action).Status);
                break;
            }

            forwards++;
            Assert.True(forwards <= 3, "the loop was not stopped");
            facts = FlowHarness.Facts() with { Headers = new Dictionary<string, string>(dial.Targets[0].Headers!) };
        }

        Assert.Equal(3, forwards);
    }

    [Theory]
    [InlineData("""{}""", "target: a SIP URI is required")]
    [InlineData("""{"target":"voicemail"}""", "target: 'voicemail' is not a SIP URI")]
    [InlineData("""{"target":"tel:+4930123"}""", "target: 'tel:+4930123' is not a SIP URI")]
    [InlineData("""{"target":"sip:vm@voicemail.example","mode":"sometimes"}""", "mode: 'sometimes' is not one of always, busy, noAnswer, busyOrNoAnswer")]
    [InlineData("""{"target":"sip:vm@voicemail.example","mode":"busy"}""", "original: a SIP URI is required")]
    [InlineData("""{"target":"sip:vm@voicemail.example","mode":"noAnswer","original":"alice"}""", "original: 'alice' is not a SIP URI")]
    [InlineData("""{"target":"sip:vm@voicemail.example","mode":"noAnswer","original":"sip:alice@pbx","ringSeconds":0}""", "ringSeconds: 0 is out of range (1 to 3600)")]
    [InlineData("""{"target":"sip:vm@voicemail.example","ringSeconds":20000}""", "ringSeconds: 20000 is out of range (1 to 3600)")]
    [InlineData("""{"target":"sip:vm@voicemail.example","maxHops":0}""", "maxHops: 0 is out of range (1 to 70)")]
    [InlineData("""{"target":"sip:vm@voicemail.example","ringSecs":10}""", "ringSecs: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(Harness(parameters).Validate()));

    [Theory]
    [InlineData("""{"target":"sip:vm@voicemail.example"}""")]
    [InlineData("""{"target":"sips:vm@voicemail.example:5061","mode":"busyOrNoAnswer","original":"sip:alice@10.0.0.5;transport=tcp","ringSeconds":25,"maxHops":3}""")]
    [InlineData("""{"target":"sip:vm@voicemail.example", /* comments and trailing commas, as the flow reads them */ }""")]
    public void Good_parameters_have_no_problems(string parameters)
        => Assert.Empty(Harness(parameters).Validate());
}
