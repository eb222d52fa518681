using System.Text;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>
/// The message relay grain in a cluster (<see cref="IMessageRelayGrain"/>): a route decided by the silo's router, and a
/// request handed to the edge that holds its destination through the edge directory. In the edge-fallback collection:
/// the edges it announces must not take other tests' messages.
/// </summary>
[Collection(EdgeFallbackCollection.Name)]
public sealed class MessageRelayGrainTests(EdgeFallbackFixture cluster)
{
    private static readonly EdgeInfo Edge = new("edge-message", "127.0.0.1", 5060, 5060);

    private IMessageRelayGrain Relay => cluster.Grains.GetGrain<IMessageRelayGrain>(IMessageRelayGrain.Key);

    [Fact]
    public async Task A_ring_all_route_is_forked_to_every_target_and_a_sequential_one_goes_in_turn()
    {
        var forked = await Relay.Route(Inbound("3000"));
        var inTurn = await Relay.Route(Inbound("2000"));

        Assert.True(forked.Fork);
        Assert.Equal(FailoverTestRouter.RingAllTargets, forked.Requests.Select(r => SipParser.ParseTrusted(r.Message).RequestUri));
        Assert.False(inTurn.Fork);
        Assert.Equal([5091, 5092], inTurn.Requests.Select(r => r.Destination.Port));
        Assert.All(forked.Requests.Concat(inTurn.Requests), r => Assert.Equal(SipMethod.Message, SipParser.ParseTrusted(r.Message).Method));
    }

    [Fact]
    public async Task A_request_for_a_held_connection_goes_through_its_edges_observer_and_a_holder_not_live_gets_480()
    {
        var observer = new RecordingEdgeObserver { RelayAnswer = new RelayedAnswer(200, [1, 2, 3]) };
        var holder = new EdgeInfo($"holder-{Guid.NewGuid():N}", "127.0.0.1", 5060, 5060, 5061, cluster.Grains.CreateObjectReference<IEdgeObserver>(observer));
        var directory = cluster.Grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key);
        await directory.Announce(holder, TimeSpan.FromSeconds(5));
        try
        {
            var request = new SipCommand(SipCommandKind.Request, [42], new SipPeer(SipTransportKind.Tcp, "127.0.0.1", 40000, ConnectionId: 9, EdgeId: holder.EdgeId));
            var answer = await Relay.RelayThrough(request, TimeSpan.FromSeconds(5));

            Assert.Equal(200, answer.Status);
            Assert.Equal([1, 2, 3], answer.Response);
            Assert.True(observer.Relayed.TryDequeue(out var relayed));
            Assert.Equal([42], relayed.Message);

            var orphan = request with { Destination = request.Destination with { EdgeId = "no-such-edge" } };
            Assert.Equal(480, (await Relay.RelayThrough(orphan, TimeSpan.FromSeconds(5))).Status);
        }
        finally
        {
            await directory.Withdraw(holder.EdgeId);
        }

        GC.KeepAlive(observer);
    }

    private static SipInbound Inbound(string user)
    {
        var text = $"MESSAGE sip:{user}@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-m{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:{user}@127.0.0.1>\r\nCall-ID: m-{Guid.NewGuid():N}@test\r\nCSeq: 1 MESSAGE\r\n" +
            "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
        return new SipInbound(Encoding.UTF8.GetBytes(text), new SipPeer(SipTransportKind.Udp, "127.0.0.1", 5070, EdgeId: Edge.EdgeId), Edge);
    }
}
