using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Flows.Tests;

/// <summary>The built-in flows as a silo has them: registered under their names, their parameters checked through the registry.</summary>
public sealed class BuiltInFlowsTests
{
    private static readonly CallFlowRegistry Registry = new ServiceCollection()
        .AddCallControlGrains(new ConfigurationBuilder().Build())
        .BuildServiceProvider()
        .GetRequiredService<CallFlowRegistry>();

    [Theory]
    [InlineData(FailoverFlow.Name, typeof(FailoverFlow))]
    [InlineData(RingAllFlow.Name, typeof(RingAllFlow))]
    [InlineData(ForwardFlow.Name, typeof(ForwardFlow))]
    [InlineData(HuntGroupFlow.Name, typeof(HuntGroupFlow))]
    [InlineData(RingGroupFlow.Name, typeof(RingGroupFlow))]
    [InlineData(TimeOfDayFlow.Name, typeof(TimeOfDayFlow))]
    [InlineData(ScreeningFlow.Name, typeof(ScreeningFlow))]
    [InlineData(PrepaidFlow.Name, typeof(PrepaidFlow))]
    public void Each_is_registered_under_its_name(string name, Type type)
        => Assert.IsType(type, Registry.Find(name));

    [Theory]
    [InlineData(FailoverFlow.Name)]
    [InlineData(RingAllFlow.Name)]
    [InlineData(HuntGroupFlow.Name)]
    [InlineData(TimeOfDayFlow.Name)]
    public async Task Each_allows_a_transfer_by_default(string name)
    {
        var flow = Registry.Find(name)!;
        var decision = await new Testing.FlowHarness(flow).TransferAsync("sip:9000@pbx.example");
        Assert.Equal(TransferDecision.Allow, decision);
    }

    [Fact]
    public void The_registry_reports_what_a_flow_finds_wrong()
        => Assert.Equal(["targets[0]: 'anna' is not a SIP URI", "ringSeconds: 0 is out of range (1 to 3600)"], Registry.Validate(HuntGroupFlow.Name, """{"targets":["anna"],"ringSeconds":0}"""));

    [Theory]
    [InlineData(ForwardFlow.Name, """{"target":""")]
    [InlineData(HuntGroupFlow.Name, """{"targets":"sip:anna@pbx.example"}""")]
    [InlineData(RingGroupFlow.Name, """{"ringSeconds":"thirty"}""")]
    [InlineData(TimeOfDayFlow.Name, """null""")]
    [InlineData(ScreeningFlow.Name, """{"rejectStatus":6.03}""")]
    [InlineData(PrepaidFlow.Name, """[]""")]
    public void Parameters_that_are_not_the_flow_s_json_are_reported_as_such(string flow, string parameters)
        => Assert.StartsWith($"parameters: not valid JSON for flow '{flow}'", Assert.Single(Registry.Validate(flow, parameters)), StringComparison.Ordinal);
}
