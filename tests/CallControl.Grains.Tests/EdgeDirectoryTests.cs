using CallControl.Grains;
using CallControl.Grains.Edges;

namespace CallControl.Grains.Tests;

/// <summary>The edge directory's bookkeeping (<see cref="EdgeTable"/>) and the order a timer's messages try edges in (<see cref="EdgeCandidates"/>), without Orleans.</summary>
public sealed class EdgeDirectoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private static readonly EdgeInfo Own = Edge("own");
    private static readonly EdgeInfo B = Edge("b");
    private static readonly EdgeInfo C = Edge("c");
    private static readonly EdgeInfo D = Edge("d");

    [Fact]
    public void An_edge_counts_as_alive_until_it_has_missed_three_announcements()
    {
        var table = new EdgeTable();
        table.Announce(Own, Period, T0);

        Assert.Equal([Own], table.Live(T0 + (Period * 3) - TimeSpan.FromMilliseconds(1)));
        Assert.Empty(table.Live(T0 + (Period * 3)));
    }

    [Fact]
    public void An_announcement_renews_the_edge_and_puts_it_first()
    {
        var table = new EdgeTable();
        table.Announce(Own, Period, T0);
        table.Announce(B, Period, T0 + TimeSpan.FromSeconds(1));
        table.Announce(Own, Period, T0 + TimeSpan.FromSeconds(10));

        Assert.Equal([Own, B], table.Live(T0 + TimeSpan.FromSeconds(12)));
        Assert.Equal([Own], table.Live(T0 + TimeSpan.FromSeconds(16))); // B was last heard at 1 s
    }

    [Fact]
    public void A_withdrawn_edge_is_gone_at_once()
    {
        var table = new EdgeTable();
        table.Announce(Own, Period, T0);
        table.Announce(B, Period, T0);
        table.Withdraw(Own.EdgeId);

        Assert.Equal([B], table.Live(T0));
    }

    [Fact]
    public void An_unreachable_edge_is_taken_out_until_it_announces_itself_again_unless_it_restarted_meanwhile()
    {
        var table = new EdgeTable();
        table.Announce(Own, Period, T0);
        table.Announce(B, Period, T0);
        table.Unreachable(Own.EdgeId, Own.Observer!);
        table.Unreachable(B.EdgeId, new NullObserver()); // an older process's observer: B announced a newer one

        Assert.Equal([B], table.Live(T0));
        table.Announce(Own, Period, T0 + Period);
        Assert.Equal([Own, B], table.Live(T0 + Period));
    }

    [Fact]
    public void The_calls_own_edge_comes_first_with_the_observer_the_directory_holds()
    {
        var restarted = Own with { Observer = new NullObserver() }; // the same edge id, a new process
        var order = EdgeCandidates.Order(Own, [B, restarted, C], spread: 0, most: 3);

        Assert.Same(restarted, order[0]);
        Assert.Equal(["own", "b", "c"], order.Select(e => e.EdgeId));
    }

    [Fact]
    public void An_own_edge_the_directory_does_not_list_is_skipped()
        => Assert.Equal(["b", "c"], EdgeCandidates.Order(Own, [B, C], spread: 0, most: 3).Select(e => e.EdgeId));

    [Fact]
    public void An_empty_directory_leaves_the_calls_own_edge_as_the_call_knows_it()
        => Assert.Same(Own, Assert.Single(EdgeCandidates.Order(Own, [], spread: 7, most: 3)));

    [Fact]
    public void No_more_than_the_bound_are_tried_and_the_call_picks_where_among_the_others_to_start()
    {
        Assert.Equal(["own", "c", "d"], EdgeCandidates.Order(Own, [Own, B, C, D], spread: 1, most: 3).Select(e => e.EdgeId));
        Assert.Equal(["d", "b"], EdgeCandidates.Order(Own, [B, C, D], spread: -2, most: 2).Select(e => e.EdgeId)); // a hash may be negative
    }

    [Fact]
    public void Edges_without_an_observer_are_never_candidates()
        => Assert.Empty(EdgeCandidates.Order(Own with { Observer = null }, [Edge("x") with { Observer = null }], spread: 0, most: 3));

    private static EdgeInfo Edge(string id) => new(id, "127.0.0.1", 5060, 5060, 5061, new NullObserver());

    private sealed class NullObserver : IEdgeObserver
    {
        public Task Send(SipCommand[] commands, string dialogKey) => Task.CompletedTask;

        public Task<RelayedAnswer> Relay(SipCommand request, TimeSpan timeout) => Task.FromResult(new RelayedAnswer(200));
    }
}
