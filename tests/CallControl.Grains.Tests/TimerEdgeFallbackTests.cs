using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>A cluster of its own: the edge directory is one per cluster, and the edges these tests announce would
/// otherwise take the other tests' timer messages.</summary>
public sealed class EdgeFallbackFixture() : ClusterFixture(new Dictionary<string, string> { ["RingTimeout"] = "00:00:03", ["MaxDuration"] = "00:00:03" });

[CollectionDefinition(Name)]
public sealed class EdgeFallbackCollection : ICollectionFixture<EdgeFallbackFixture>
{
    public const string Name = "edge-fallback";
}

/// <summary>
/// A call's timer messages (the ring timeout's 480 and CANCEL) when the edge that carried the call is dead: they go out
/// through another live edge of the directory, except what only the dead edge's connection can carry.
/// </summary>
[Collection(EdgeFallbackCollection.Name)]
public sealed class TimerEdgeFallbackTests(EdgeFallbackFixture cluster)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private IEdgeDirectory Directory => cluster.Grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key);

    [Theory]
    [InlineData(false)] // its observer call fails (a client that is gone)
    [InlineData(true)] // it never answers: EdgeDispatch.AttemptTimeout (2 s) is waited out, not Orleans' 30 s
    public async Task A_ringing_call_whose_edge_is_dead_gets_its_480_and_cancel_through_another_edge(bool hangs)
    {
        var dead = new ScriptedEdgeObserver(hangs ? ScriptedEdgeObserver.Death.Hangs : ScriptedEdgeObserver.Death.Throws);
        var live = new RecordingEdgeObserver();
        var deadEdge = Edge("dead", cluster.Grains.CreateObjectReference<IEdgeObserver>(dead));
        var liveEdge = Edge("live", cluster.Grains.CreateObjectReference<IEdgeObserver>(live));
        await using (await AnnounceAsync(deadEdge, liveEdge)) // the dead one still listed: it died less than three periods ago
        {
            var call = new CallScript(cluster.Grains, $"fallback-{Guid.NewGuid():N}@127.0.0.1", edge: deadEdge);
            await call.InviteAsync();
            await call.CalleeRespondsAsync(180);

            var tried = await dead.NextAsync(); // the call's own edge first
            var sent = await live.NextAsync();

            Assert.Equal(tried.Select(c => c.Message), sent.Select(c => c.Message));
            Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], sent.Select(c => c.Kind));
            Assert.Equal(480, CallScript.Parse(sent[0]).StatusCode);
            Assert.Equal(SipMethod.Cancel, CallScript.Parse(sent[1]).Method);
            Assert.Equal(CallDisposition.NoAnswer, Assert.Single(cluster.Cdrs.For(call.CallId)).Disposition);
            Assert.Equal([liveEdge.EdgeId], (await Directory.LiveEdges()).Select(e => e.EdgeId)); // reported: the next call need not wait on it
        }

        GC.KeepAlive(dead);
        GC.KeepAlive(live);
    }

    [Fact]
    public async Task An_edge_the_directory_no_longer_lists_is_not_tried_at_all()
    {
        var gone = new ScriptedEdgeObserver(ScriptedEdgeObserver.Death.Hangs);
        var live = new RecordingEdgeObserver();
        var goneEdge = Edge("gone", cluster.Grains.CreateObjectReference<IEdgeObserver>(gone));
        var liveEdge = Edge("live", cluster.Grains.CreateObjectReference<IEdgeObserver>(live));
        await using (await AnnounceAsync(liveEdge))
        {
            var call = new CallScript(cluster.Grains, $"fallback-{Guid.NewGuid():N}@127.0.0.1", edge: goneEdge);
            await call.InviteAsync();
            await call.CalleeRespondsAsync(180);

            var sent = await live.NextAsync();

            Assert.Equal(480, CallScript.Parse(sent[0]).StatusCode);
            Assert.False(gone.TryTake(out _)); // tried first, it would have held the messages up for 2 s
        }

        GC.KeepAlive(gone);
        GC.KeepAlive(live);
    }

    [Fact]
    public async Task A_message_bound_to_the_dead_edges_connection_is_not_rerouted()
    {
        var dead = new ScriptedEdgeObserver(ScriptedEdgeObserver.Death.Throws);
        var live = new RecordingEdgeObserver();
        var deadEdge = Edge("dead", cluster.Grains.CreateObjectReference<IEdgeObserver>(dead));
        var liveEdge = Edge("live", cluster.Grains.CreateObjectReference<IEdgeObserver>(live));
        await using (await AnnounceAsync(deadEdge, liveEdge))
        {
            // The caller came over TCP, on a connection the dead edge held: its 480 can leave through that edge only.
            var call = new CallScript(cluster.Grains, $"fallback-tcp-{Guid.NewGuid():N}@127.0.0.1", edge: deadEdge);
            var caller = new SipPeer(SipTransportKind.Tcp, "127.0.0.1", 5070, ConnectionId: 42, EdgeId: deadEdge.EdgeId);
            call.TakeCalleeInvite(await cluster.Grains.GetGrain<IDialogGrain>(call.CallId).OnRequest(new SipInbound(call.CallerInviteBytes, caller, deadEdge)));
            await call.CalleeRespondsAsync(180);

            var tried = await dead.NextAsync(); // the 480, alone, through its connection's edge (which fails)
            var sent = await live.NextAsync(); // the CANCEL, over UDP, through the live edge

            Assert.Equal(480, CallScript.Parse(Assert.Single(tried)).StatusCode);
            Assert.Equal(42, tried[0].Destination.ConnectionId);
            Assert.Equal(SipMethod.Cancel, CallScript.Parse(Assert.Single(sent)).Method);
            Assert.False(live.TryTake(out _)); // the 480 was decided before the CANCEL went: it never came here
        }

        GC.KeepAlive(dead);
        GC.KeepAlive(live);
    }

    /// <summary>Announces the edges to the directory; disposed, withdraws them, so the next test starts from an empty one.</summary>
    private async Task<Announced> AnnounceAsync(params EdgeInfo[] edges)
    {
        foreach (var edge in edges)
        {
            await Directory.Announce(edge, Period);
        }

        return new Announced(Directory, edges);
    }

    private static EdgeInfo Edge(string name, IEdgeObserver observer)
        => new($"{name}-{Guid.NewGuid():N}", "127.0.0.1", 5060, 5060, 5061, observer);

    private sealed class Announced(IEdgeDirectory directory, EdgeInfo[] edges) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var edge in edges)
            {
                await directory.Withdraw(edge.EdgeId);
            }
        }
    }
}
