using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Flows.Tests;

/// <summary>The default flow of a dial-plan route: its trunks in order, the next on 408, 5xx or no response.</summary>
public sealed class FailoverFlowTests
{
    private static readonly DialTarget[] Trunks = [new("sip:trunk-a.example"), new("sip:trunk-b.example")];

    [Fact]
    public async Task The_next_trunk_is_tried_after_a_server_error_and_after_no_response()
    {
        var call = new FlowHarness(new FailoverFlow(), routeTargets: Trunks);

        Assert.Equal(Trunks[0], Assert.Single(Assert.IsType<Dial>(await call.StartAsync()).Targets));
        Assert.Equal(Trunks[1], Assert.Single(Assert.IsType<Dial>(await call.DialFailsAsync(DialResult.Rejected, 503)).Targets));
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.Unreachable, 408));
    }

    [Theory]
    [InlineData(DialResult.Busy, 486)]
    [InlineData(DialResult.Rejected, 404)]
    [InlineData(DialResult.Rejected, 603)]
    public async Task A_callee_answer_is_final(DialResult result, int status)
    {
        var call = new FlowHarness(new FailoverFlow(), routeTargets: Trunks);
        await call.StartAsync();

        Assert.IsType<GiveUp>(await call.DialFailsAsync(result, status));
    }

    [Fact]
    public async Task Its_state_survives_a_round_trip_through_the_serializer()
    {
        var call = new FlowHarness(new FailoverFlow(), routeTargets: Trunks);
        await call.StartAsync();

        Assert.Equal(1, Assert.IsType<FailoverState>(call.State).Tried);
    }
}
