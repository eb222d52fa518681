using CallControl.Flows.Testing;
using CallControl.Grains;
using CallControl.Grains.Flows;
using Orleans.TestingHost;

namespace CallControl.Examples.CustomFlow.Tests;

/// <summary>The example flow, branch by branch, through the flow test kit; its grain in an in-process cluster.</summary>
public sealed class DeskMobileVoicemailFlowTests : IAsyncLifetime
{
    private const string Parameters = """{"owner":"alice","desk":"sip:alice-desk@pbx.example","mobile":"sip:+4917012345@trunk.example","voicemail":"sip:vm-alice@vm.example","deskSeconds":10}""";
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(GrainStorage.Dialogs));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    private FlowHarness NewCall() => new(new DeskMobileVoicemailFlow(), Parameters, grains: _cluster.Client);

    [Fact]
    public async Task The_desk_rings_first_then_the_mobile_then_voicemail()
    {
        var call = NewCall();

        var desk = Assert.IsType<Dial>(await call.StartAsync());
        Assert.Equal("sip:alice-desk@pbx.example", Assert.Single(desk.Targets).Uri);
        Assert.Equal(TimeSpan.FromSeconds(10), desk.RingTimeout);

        var mobile = Assert.IsType<Dial>(await call.DialFailsAsync(DialResult.NoAnswer));
        Assert.Equal("sip:+4917012345@trunk.example", Assert.Single(mobile.Targets).Uri);
        Assert.Equal(TimeSpan.FromSeconds(20), mobile.RingTimeout);

        var voicemail = Assert.IsType<Dial>(await call.DialFailsAsync(DialResult.Busy));
        var target = Assert.Single(voicemail.Targets);
        Assert.Equal("sip:vm-alice@vm.example", target.Uri);
        Assert.Equal("<sip:alice-desk@pbx.example>;reason=no-answer", target.Headers!["Diversion"]);
        Assert.Null(voicemail.RingTimeout);

        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.Unreachable));
    }

    [Fact]
    public async Task With_do_not_disturb_on_the_desk_is_skipped()
    {
        await _cluster.Client.GetGrain<IDoNotDisturbGrain>("alice").Set(true);
        try
        {
            var mobile = Assert.IsType<Dial>(await NewCall().StartAsync());
            Assert.Equal("sip:+4917012345@trunk.example", Assert.Single(mobile.Targets).Uri);
        }
        finally
        {
            await _cluster.Client.GetGrain<IDoNotDisturbGrain>("alice").Set(false);
        }
    }

    [Fact]
    public async Task The_hunt_s_place_survives_the_serializer_as_after_a_failover()
    {
        var call = NewCall();
        await call.StartAsync();
        await call.DialFailsAsync(DialResult.NoAnswer);

        Assert.Equal(Step.Mobile, Assert.IsType<HuntState>(call.State).Step); // the mobile rings now
    }

    [Fact]
    public void Bad_parameters_are_named_by_field()
    {
        var problems = new FlowHarness(new DeskMobileVoicemailFlow(), """{"owner":"","desk":"not a uri","mobile":"sip:m@x","voicemail":"sip:v@x"}""").Validate();

        Assert.Contains("owner: required (whose do-not-disturb applies)", problems);
        Assert.Contains("desk: 'not a uri' is not a SIP URI", problems);
        Assert.Equal(2, problems.Count);
    }
}
