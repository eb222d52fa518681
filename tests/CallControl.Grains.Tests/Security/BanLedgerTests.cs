using CallControl.Grains.Security;

namespace CallControl.Grains.Tests.Security;

/// <summary>
/// The ban list's bookkeeping without Orleans: the bans in force, and what changed since an edge's version (its net
/// effect per source), or the whole list when the edge's version is of another epoch or older than the bounded log.
/// </summary>
public sealed class BanLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Epoch = Guid.NewGuid();

    private readonly BanLedger _ledger = new(Epoch);

    [Fact]
    public void Live_bans_are_those_not_ended_in_source_order()
    {
        _ledger.Add(Ban("192.0.2.9", 10));
        _ledger.Add(Ban("192.0.2.1", 10));
        _ledger.Add(Ban("192.0.2.5", 1));

        Assert.Equal(["192.0.2.1", "192.0.2.5", "192.0.2.9"], _ledger.Live(Now).Select(b => b.Source));
        Assert.Equal(["192.0.2.1", "192.0.2.9"], _ledger.Live(Now.AddMinutes(1)).Select(b => b.Source));
    }

    [Fact]
    public void Adding_the_same_ban_again_or_removing_none_changes_nothing_and_logs_nothing()
    {
        var ban = Ban("192.0.2.1", 10);
        Assert.True(_ledger.Add(ban));

        Assert.False(_ledger.Add(ban with { }));
        Assert.False(_ledger.Remove("192.0.2.2"));
        Assert.Equal(1, _ledger.Since(Epoch, 0, Now).Version);
    }

    [Fact]
    public void An_edge_at_a_version_of_this_epoch_gets_only_what_changed_after_it()
    {
        _ledger.Add(Ban("192.0.2.1", 10));
        var seen = _ledger.Since(Guid.Empty, 0, Now);
        _ledger.Add(Ban("192.0.2.2", 10));
        _ledger.Remove("192.0.2.1");

        var changes = _ledger.Since(Epoch, seen.Version, Now);

        Assert.False(changes.Full);
        Assert.Equal((Epoch, 3L), (changes.Epoch, changes.Version));
        Assert.Equal(["192.0.2.2"], changes.Added.Select(b => b.Source));
        Assert.Equal(["192.0.2.1"], changes.Removed);
    }

    [Fact]
    public void An_edge_that_is_up_to_date_gets_no_changes()
    {
        _ledger.Add(Ban("192.0.2.1", 10));

        var changes = _ledger.Since(Epoch, 1, Now);

        Assert.False(changes.Full);
        Assert.Equal(1, changes.Version);
        Assert.Empty(changes.Added);
        Assert.Empty(changes.Removed);
    }

    [Fact]
    public void A_source_unbanned_then_banned_again_since_the_edges_version_is_banned_not_removed()
    {
        _ledger.Add(Ban("192.0.2.1", 10));
        _ledger.Remove("192.0.2.1");      // an operator's ban remove...
        _ledger.Add(Ban("192.0.2.1", 20)); // ...and an edge bans it again before the next sync

        var changes = _ledger.Since(Epoch, 0, Now);

        Assert.Equal([Ban("192.0.2.1", 20)], changes.Added);
        Assert.Empty(changes.Removed); // an edge applies additions, then removals: it must end with the ban
    }

    [Fact]
    public void A_source_banned_then_unbanned_since_the_edges_version_is_removed_only()
    {
        _ledger.Add(Ban("192.0.2.1", 10));
        _ledger.Add(Ban("192.0.2.1", 20));
        _ledger.Remove("192.0.2.1");

        var changes = _ledger.Since(Epoch, 0, Now);

        Assert.Empty(changes.Added);
        Assert.Equal(["192.0.2.1"], changes.Removed);
    }

    [Fact]
    public void Another_epoch_gets_the_whole_list()
    {
        _ledger.Add(Ban("192.0.2.1", 10));
        _ledger.Add(Ban("192.0.2.2", 1));
        _ledger.Remove("192.0.2.1");
        _ledger.Add(Ban("192.0.2.3", 10));

        foreach (var epoch in new[] { Guid.Empty, Guid.NewGuid() })
        {
            var changes = _ledger.Since(epoch, 2, Now.AddMinutes(1));
            Assert.True(changes.Full);
            Assert.Equal((Epoch, 4L), (changes.Epoch, changes.Version));
            Assert.Equal(["192.0.2.3"], changes.Added.Select(b => b.Source)); // in force only: ended bans are not sent
            Assert.Empty(changes.Removed);
        }
    }

    [Fact]
    public void A_version_ahead_of_the_ledger_gets_the_whole_list()
    {
        _ledger.Add(Ban("192.0.2.1", 10));

        var changes = _ledger.Since(Epoch, 7, Now);

        Assert.True(changes.Full);
        Assert.Equal(["192.0.2.1"], changes.Added.Select(b => b.Source));
    }

    [Fact]
    public void The_log_keeps_the_last_changes_only_and_an_older_version_gets_the_whole_list()
    {
        var ledger = new BanLedger(Epoch, keptChanges: 3);
        for (var i = 1; i <= 5; i++)
        {
            ledger.Add(Ban($"192.0.2.{i}", 10));
        }

        var tooOld = ledger.Since(Epoch, 1, Now);
        var oldestKept = ledger.Since(Epoch, 2, Now);

        Assert.True(tooOld.Full);
        Assert.Equal(5, tooOld.Added.Length);
        Assert.False(oldestKept.Full);
        Assert.Equal(["192.0.2.3", "192.0.2.4", "192.0.2.5"], oldestKept.Added.Select(b => b.Source));
        Assert.Equal(5, oldestKept.Version);
    }

    [Fact]
    public void Reconcile_makes_the_ledger_hold_what_the_store_holds_and_logs_each_difference()
    {
        _ledger.Add(Ban("192.0.2.1", 10));
        _ledger.Add(Ban("192.0.2.2", 10));
        _ledger.Add(Ban("192.0.2.3", 10));

        _ledger.Reconcile([Ban("192.0.2.1", 10), Ban("192.0.2.2", 60), Ban("192.0.2.4", 10), Ban("192.0.2.5", -1)], Now);

        Assert.Equal(
            [Ban("192.0.2.1", 10), Ban("192.0.2.2", 60), Ban("192.0.2.4", 10)],
            _ledger.Live(Now));
        var changes = _ledger.Since(Epoch, 3, Now);
        Assert.False(changes.Full);
        Assert.Equal(["192.0.2.2", "192.0.2.4"], changes.Added.Select(b => b.Source).Order());  // extended by the CLI, added by the CLI
        Assert.Equal(["192.0.2.3"], changes.Removed);                                            // removed by the CLI
    }

    [Fact]
    public void Reconciling_with_the_same_list_logs_nothing()
    {
        _ledger.Add(Ban("192.0.2.1", 10));

        _ledger.Reconcile([Ban("192.0.2.1", 10)], Now);

        Assert.Equal(1, _ledger.Since(Epoch, 0, Now).Version);
    }

    [Fact]
    public void Extending_never_shortens_a_ban_as_the_store_keeps_the_later_end()
    {
        Assert.True(_ledger.Extend(Ban("192.0.2.1", 120)));

        Assert.False(_ledger.Extend(Ban("192.0.2.1", 10)));
        Assert.Equal(Now.AddMinutes(120), Assert.Single(_ledger.Live(Now)).Until);
        Assert.True(_ledger.Extend(Ban("192.0.2.1", 180)));
        Assert.Equal(Ban("192.0.2.1", 180), Assert.Single(_ledger.Live(Now)));
    }

    internal static SourceBan Ban(string source, int minutes) => new(source, Now.AddMinutes(minutes), "flood", "edge-1");
}
