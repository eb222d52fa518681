using CallControl.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CallControl.Grains.Tests.Security;

/// <summary>
/// The cluster's one ban list on the test silo (the embedded default's memory store): bans are stored before they are
/// acknowledged, listed, told to edges as changes since their version, lifted; those the CLI writes to the store are
/// picked up by the grain's reload. The grain is shared by the collection's tests: each uses sources of its own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BanListGrainTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private IBanListGrain List => cluster.Grains.GetGrain<IBanListGrain>(IBanListGrain.Key);

    private IBanStore Store => ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IBanStore>();

    [Fact]
    public async Task A_ban_is_stored_listed_told_as_a_change_and_lifted()
    {
        var start = await List.Changes(Guid.Empty, 0);
        Assert.True(start.Full);
        var ban = Ban(NewSource(), TimeSpan.FromMinutes(10));

        await List.Ban(ban);

        Assert.Contains(ban, await List.List());
        Assert.Contains(ban, await Store.LoadAsync(DateTimeOffset.UtcNow, CancellationToken.None));
        var added = await List.Changes(start.Epoch, start.Version);
        Assert.False(added.Full);
        Assert.Contains(ban, added.Added);
        Assert.True(added.Version > start.Version);

        Assert.True(await List.Unban(ban.Source));

        Assert.DoesNotContain(await List.List(), b => b.Source == ban.Source);
        Assert.DoesNotContain(await Store.LoadAsync(DateTimeOffset.UtcNow, CancellationToken.None), b => b.Source == ban.Source);
        var removed = await List.Changes(start.Epoch, added.Version);
        Assert.False(removed.Full);
        Assert.Contains(ban.Source, removed.Removed);
        Assert.DoesNotContain(removed.Added, b => b.Source == ban.Source);
        Assert.False(await List.Unban(ban.Source));
    }

    [Fact]
    public async Task An_edge_new_to_the_list_gets_every_ban_in_force()
    {
        var ban = Ban(NewSource(), TimeSpan.FromMinutes(10));
        await List.Ban(ban);

        var full = await List.Changes(Guid.NewGuid(), 0);

        Assert.True(full.Full);
        Assert.Contains(ban, full.Added);
        Assert.Empty(full.Removed);
        await List.Unban(ban.Source);
    }

    [Fact]
    public async Task A_ban_that_has_ended_is_not_listed()
    {
        var ended = Ban(NewSource(), TimeSpan.FromSeconds(-1));

        await List.Ban(ended);

        Assert.DoesNotContain(await List.List(), b => b.Source == ended.Source);
        Assert.DoesNotContain((await List.Changes(Guid.Empty, 0)).Added, b => b.Source == ended.Source);
    }

    [Fact]
    public async Task A_shorter_ban_of_a_banned_source_does_not_shorten_its_ban()
    {
        var source = NewSource();
        var operators = new SourceBan(source, DateTimeOffset.UtcNow.AddHours(2), "manual", "cli");
        await List.Ban(operators);

        await List.Ban(Ban(source, TimeSpan.FromMinutes(10)));

        Assert.Equal(operators.Until, Assert.Single(await List.List(), b => b.Source == source).Until);
        Assert.Equal(operators.Until, Assert.Single(await Store.LoadAsync(DateTimeOffset.UtcNow, CancellationToken.None), b => b.Source == source).Until);
        await List.Unban(source);
    }

    [Fact]
    public async Task Bans_the_CLI_adds_and_removes_in_the_store_reach_the_list_at_its_next_reload()
    {
        var start = await List.Changes(Guid.Empty, 0);
        var ban = new SourceBan(NewSource(), DateTimeOffset.UtcNow.AddMinutes(10), "manual", "cli");

        await Store.SaveAsync(ban, CancellationToken.None);

        var added = await EventuallyAsync(() => List.Changes(start.Epoch, start.Version), c => c.Added.Contains(ban));
        Assert.Contains(ban, await List.List());

        await Store.RemoveAsync(ban.Source, CancellationToken.None);

        await EventuallyAsync(() => List.Changes(start.Epoch, added.Version), c => c.Removed.Contains(ban.Source));
        Assert.DoesNotContain(await List.List(), b => b.Source == ban.Source);
    }

    // A source no other test uses: 198.18.0.0/15 is for benchmarks, never a real caller.
    private static string NewSource() => $"198.18.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static SourceBan Ban(string source, TimeSpan length) => new(source, DateTimeOffset.UtcNow + length, "flood", "edge-test");

    private static async Task<BanChanges> EventuallyAsync(Func<Task<BanChanges>> ask, Func<BanChanges, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var changes = await ask();
            if (done(changes))
            {
                return changes;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not within {Patience} (the grain reloads every {Grains.Security.BanListGrain.ReloadInterval})");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
