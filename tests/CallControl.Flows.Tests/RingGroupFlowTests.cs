using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Flows.Tests;

/// <summary>A ring group: every member at once for its ring time, then the finally target.</summary>
public sealed class RingGroupFlowTests
{
    private static readonly string[] Members = ["sip:desk@pbx.example", "sip:mobile@pbx.example", "sip:soft@pbx.example"];
    private const string Voicemail = "sip:vm-300@voicemail.example";

    private static FlowHarness Harness(string parameters) => new(new RingGroupFlow(), parameters);

    private static string Json(string? extra = null)
        => $$"""{"targets":["{{string.Join("\",\"", Members)}}"]{{(extra is null ? "" : "," + extra)}}}""";

    [Fact]
    public async Task Every_member_rings_at_once_for_the_default_ring_time()
    {
        var dial = Assert.IsType<Dial>(await Harness(Json()).StartAsync());

        Assert.Equal(DialMode.Parallel, dial.Mode);
        Assert.Equal(Members, dial.Targets.Select(t => t.Uri));
        Assert.Equal(TimeSpan.FromSeconds(30), dial.RingTimeout);
    }

    [Fact]
    public async Task The_ring_time_is_the_parameter()
        => Assert.Equal(TimeSpan.FromSeconds(12), Assert.IsType<Dial>(await Harness(Json("\"ringSeconds\":12")).StartAsync()).RingTimeout);

    [Theory]
    [InlineData(DialResult.NoAnswer, 480)]
    [InlineData(DialResult.Busy, 486)]
    [InlineData(DialResult.Rejected, 603)]
    public async Task When_no_member_answers_the_finally_target_rings_and_its_failure_is_final(DialResult result, int status)
    {
        var call = Harness(Json($"\"finally\":\"{Voicemail}\""));
        await call.StartAsync();

        var last = Assert.IsType<Dial>(await call.DialFailsAsync(result, status));
        Assert.Equal(Voicemail, Assert.Single(last.Targets).Uri);
        Assert.Null(last.RingTimeout);
        Assert.True(Assert.IsType<RingGroupState>(call.State).FinallyDialled);
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task Without_a_finally_target_no_answer_gives_up()
    {
        var call = Harness(Json());
        await call.StartAsync();

        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Fact]
    public async Task An_answered_group_leaves_nothing_to_do()
    {
        var call = Harness(Json($"\"finally\":\"{Voicemail}\""));
        await call.StartAsync();
        await call.AnsweredAsync(new DialTarget(Members[1]));
        await call.EndedAsync(TimeSpan.FromMinutes(2));

        Assert.Single(call.Actions);
        Assert.Null(call.State);
    }

    [Theory]
    [InlineData("""{}""", "targets: at least one target is required")]
    [InlineData("""{"targets":["sip:desk@pbx.example","desk"]}""", "targets[1]: 'desk' is not a SIP URI")]
    [InlineData("""{"targets":["sip:desk@pbx.example"],"ringSeconds":-5}""", "ringSeconds: -5 is out of range (1 to 3600)")]
    [InlineData("""{"targets":["sip:desk@pbx.example"],"finally":"sip:"}""", "finally: 'sip:' is not a SIP URI")]
    [InlineData("""{"targets":["sip:desk@pbx.example"],"onBusy":"next"}""", "onBusy: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(Harness(parameters).Validate()));

    [Fact]
    public void Good_parameters_have_no_problems()
        => Assert.Empty(Harness(Json($"\"ringSeconds\":20,\"finally\":\"{Voicemail}\"")).Validate());
}
