using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// Column <c>route.media</c> (migration 009; docs/media.md, "SRTP and WebRTC per route") on a real PostgreSQL: stored
/// and read back by <see cref="RouteTable"/>, carried into the dial plan's decision, NULL as plain RTP, and a value no
/// profile has makes the route refuse its calls as any invalid route does.
/// </summary>
public sealed class RouteMediaTests(StoresFixture stores) : IClassFixture<StoresFixture>
{
    private static readonly CallFlowRegistry Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    private PostgresDialPlan DialPlan => new(stores.DataSource, new DefaultTargetRouter(Options.Create(new RoutingOptions())), Flows, NullLogger<PostgresDialPlan>.Instance);

    private static string NewPrefix() => $"96{Random.Shared.Next(10_000_000)}";

    private Task<RouteDecision?> RouteAsync(string prefix)
        => DialPlan.RouteAsync(SipUri.Parse($"sip:{prefix}1@127.0.0.1"), SipUri.Parse("sip:alice@127.0.0.1"), CancellationToken.None).AsTask();

    [Fact]
    public async Task A_routes_media_is_stored_read_back_and_carried_into_the_decision()
    {
        var table = new RouteTable(stores.DataSource);
        var (srtp, plain) = (NewPrefix(), NewPrefix());
        await table.AddAsync(new DialPlanRoute($"srtp-{srtp}", srtp, ["sip:10.0.0.1:5060"], Media: "srtp"), Flows, CancellationToken.None);
        await table.AddAsync(new DialPlanRoute($"plain-{plain}", plain, ["sip:10.0.0.1:5060"]), Flows, CancellationToken.None);

        var listed = await table.ListAsync(CancellationToken.None);

        Assert.Equal("srtp", Assert.Single(listed, r => r.Prefix == srtp).Media);
        Assert.Null(Assert.Single(listed, r => r.Prefix == plain).Media);
        Assert.Equal(MediaProfile.Srtp, (await RouteAsync(srtp))!.Media);
        Assert.Equal(MediaProfile.Rtp, (await RouteAsync(plain))!.Media);
    }

    [Fact]
    public async Task A_route_with_a_media_value_no_profile_has_is_not_added_and_one_written_by_hand_refuses_its_calls()
    {
        var table = new RouteTable(stores.DataSource);
        var prefix = NewPrefix();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => table.AddAsync(new DialPlanRoute($"bad-{prefix}", prefix, ["sip:10.0.0.1:5060"], Media: "zrtp"), Flows, CancellationToken.None));
        Assert.Contains("media: 'zrtp' is not one of rtp, srtp, webrtc", refused.Message, StringComparison.Ordinal);

        await using (var insert = stores.DataSource.CreateCommand("INSERT INTO route (name, prefix, targets, media) VALUES (@name, @prefix, ARRAY['sip:10.0.0.1:5060'], 'zrtp')"))
        {
            insert.Parameters.AddWithValue("name", $"bad-{prefix}");
            insert.Parameters.AddWithValue("prefix", prefix);
            await insert.ExecuteNonQueryAsync();
        }

        var decision = await RouteAsync(prefix);
        Assert.Equal(RefuseFlow.Name, decision!.Flow);
    }
}
