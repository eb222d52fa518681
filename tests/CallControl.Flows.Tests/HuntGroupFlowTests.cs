using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Flows.Tests;

/// <summary>A hunt group: members one at a time, each for its ring time, busy skipped or final, then the finally target.</summary>
public sealed class HuntGroupFlowTests
{
    private const string Members = """["sip:anna@pbx.example","sip:ben@pbx.example","sip:cleo@pbx.example"]""";
    private const string Voicemail = "sip:vm-200@voicemail.example";

    private static FlowHarness Harness(string parameters) => new(new HuntGroupFlow(), parameters);

    private static string Rung(FlowAction action, TimeSpan? ringTimeout)
    {
        var dial = Assert.IsType<Dial>(action);
        Assert.Equal(ringTimeout, dial.RingTimeout);
        return Assert.Single(dial.Targets).Uri;
    }

    [Fact]
    public async Task Members_ring_one_at_a_time_in_order_for_the_default_ring_time_then_the_finally_target()
    {
        var call = Harness($$"""{"targets":{{Members}},"finally":"{{Voicemail}}"}""");
        var ring = TimeSpan.FromSeconds(15);

        Assert.Equal("sip:anna@pbx.example", Rung(await call.StartAsync(), ring));
        Assert.Equal("sip:ben@pbx.example", Rung(await call.DialFailsAsync(DialResult.NoAnswer), ring));
        Assert.Equal("sip:cleo@pbx.example", Rung(await call.DialFailsAsync(DialResult.Unreachable), ring));
        Assert.Equal(Voicemail, Rung(await call.DialFailsAsync(DialResult.Rejected, 603), null));
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task Without_a_finally_target_the_last_member_failing_gives_up()
    {
        var call = Harness("""{"targets":["sip:anna@pbx.example","sip:ben@pbx.example"],"ringSeconds":8}""");

        Assert.Equal("sip:anna@pbx.example", Rung(await call.StartAsync(), TimeSpan.FromSeconds(8)));
        Assert.Equal("sip:ben@pbx.example", Rung(await call.DialFailsAsync(DialResult.NoAnswer), TimeSpan.FromSeconds(8)));
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task A_busy_member_is_skipped_by_default()
    {
        var call = Harness($$"""{"targets":{{Members}}}""");
        await call.StartAsync();

        Assert.Equal("sip:ben@pbx.example", Rung(await call.DialFailsAsync(DialResult.Busy), TimeSpan.FromSeconds(15)));
    }

    [Theory]
    [InlineData(486)]
    [InlineData(600)]
    public async Task A_busy_member_ends_the_hunt_with_busy_when_on_busy_is_stop(int status)
    {
        var call = Harness($$"""{"targets":{{Members}},"onBusy":"stop","finally":"{{Voicemail}}"}""");
        await call.StartAsync();
        await call.DialFailsAsync(DialResult.NoAnswer);

        Assert.Equal(status, Assert.IsType<Reject>(await call.DialFailsAsync(DialResult.Busy, status)).Status);
    }

    [Fact]
    public async Task On_busy_stop_still_hunts_on_past_a_member_that_does_not_answer()
    {
        var call = Harness($$"""{"targets":{{Members}},"onBusy":"stop"}""");
        await call.StartAsync();

        Assert.Equal("sip:ben@pbx.example", Rung(await call.DialFailsAsync(DialResult.NoAnswer), TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task The_position_is_the_state_and_survives_the_serializer()
    {
        var call = Harness($$"""{"targets":{{Members}},"finally":"{{Voicemail}}"}""");

        await call.StartAsync();
        Assert.Equal(1, Assert.IsType<HuntGroupState>(call.State).Next);
        await call.DialFailsAsync(DialResult.NoAnswer);
        Assert.Equal(2, Assert.IsType<HuntGroupState>(call.State).Next);
        await call.AnsweredAsync();
        await call.EndedAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Assert.IsType<HuntGroupState>(call.State).Next);
    }

    [Theory]
    [InlineData("""{}""", "targets: at least one target is required")]
    [InlineData("""{"targets":[]}""", "targets: at least one target is required")]
    [InlineData("""{"targets":["sip:anna@pbx.example","foo"]}""", "targets[1]: 'foo' is not a SIP URI")]
    [InlineData("""{"targets":["sip:anna@pbx.example",null]}""", "targets[1]: a SIP URI is required")]
    [InlineData("""{"targets":["sip:anna@pbx.example"],"ringSeconds":0}""", "ringSeconds: 0 is out of range (1 to 3600)")]
    [InlineData("""{"targets":["sip:anna@pbx.example"],"onBusy":"wait"}""", "onBusy: 'wait' is not one of next, stop")]
    [InlineData("""{"targets":["sip:anna@pbx.example"],"finally":"voicemail"}""", "finally: 'voicemail' is not a SIP URI")]
    [InlineData("""{"targets":["sip:anna@pbx.example"],"target":"sip:ben@pbx.example"}""", "target: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(Harness(parameters).Validate()));

    [Fact]
    public void Good_parameters_have_no_problems()
        => Assert.Empty(Harness($$"""{"targets":{{Members}},"ringSeconds":10,"onBusy":"stop","finally":"{{Voicemail}}"}""").Validate());
}
