using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>The NAT harness leaves nothing behind: not after a dispose, and not after a killed run (by name prefix).</summary>
public sealed class NatRouterCleanupTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dispose_removes_every_namespace_and_link_and_stops_what_still_runs_in_them()
    {
        var nat = await NatRouter.CreateAsync();
        var prefix = nat.NamePrefix;
        Assert.Equal([nat.PhoneNamespace, nat.RouterNamespace], Namespaces(prefix).Order(StringComparer.Ordinal));
        Assert.Equal([nat.HostLink], HostLinks(prefix));
        await using var forgotten = nat.RunInPhone("sleep", ["300"]); // as a failed test leaves it
        await WaitUntilAsync(async () => (await NetCommand.RunAsync("ip", ["netns", "pids", nat.PhoneNamespace])).Output.Trim().Length > 0);

        await nat.DisposeAsync();

        Assert.Empty(Namespaces(prefix));
        Assert.Empty(HostLinks(prefix));
        await forgotten.WaitForExitAsync(Wait);
    }

    [Fact]
    public async Task Leftovers_of_a_killed_run_are_removed_and_a_live_routers_network_is_not()
    {
        await using var live = await NatRouter.CreateAsync();
        int number;
        using (var slot = NatSlot.Take())
        {
            number = slot.Number;
            await MakeLeftoversAsync(slot);
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"{NatSlot.Prefix}{number}-");
        await using var inLeftover = ChildProcess.Start("ip", ["netns", "exec", prefix + "phone", "sleep", "300"], Path.GetTempPath());

        // A run that still lives (flock(1) holding the slot's lock) keeps its network...
        await using (var owner = ChildProcess.Start("flock", ["-n", NatSlot.LockPath(number), "sh", "-c", "echo locked; exec sleep 300"], Path.GetTempPath()))
        {
            await owner.WaitForLineAsync(l => l == "locked", Wait);
            await NatSlot.RemoveAllLeftoversAsync();
            Assert.Equal(2, Namespaces(prefix).Count);
            Assert.Single(HostLinks(prefix));
        } // ...and once it is killed (by PID, as a test host is), its lock goes with it.

        await NatSlot.RemoveAllLeftoversAsync();

        Assert.Empty(Namespaces(prefix));
        Assert.Empty(HostLinks(prefix));
        await inLeftover.WaitForExitAsync(Wait);
        Assert.Equal([live.PhoneNamespace, live.RouterNamespace], Namespaces(live.NamePrefix).Order(StringComparer.Ordinal));
        Assert.Equal([live.HostLink], HostLinks(live.NamePrefix));
    }

    [Fact]
    public async Task Two_routers_at_once_get_names_and_addresses_of_their_own()
    {
        await using var first = await NatRouter.CreateAsync();
        await using var second = await NatRouter.CreateAsync();

        Assert.NotEqual(first.NamePrefix, second.NamePrefix);
        Assert.NotEqual(first.PhoneAddress, second.PhoneAddress);
        Assert.NotEqual(first.HostAddress, second.HostAddress);
    }

    /// <summary>What a run killed while building leaves: both namespaces and the veth pair to the host.</summary>
    private static async Task MakeLeftoversAsync(NatSlot slot)
    {
        await NetCommand.CheckAsync("ip", ["netns", "add", slot.PhoneNamespace]);
        await NetCommand.CheckAsync("ip", ["netns", "add", slot.RouterNamespace]);
        await NetCommand.CheckAsync("ip", ["link", "add", slot.HostLink, "type", "veth", "peer", "name", "pub", "netns", slot.RouterNamespace]);
    }

    private static List<string> Namespaces(string prefix) =>
        Directory.Exists("/run/netns") ? [.. Directory.GetFiles("/run/netns").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))] : [];

    private static List<string> HostLinks(string prefix) =>
        [.. Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var cancel = new CancellationTokenSource(Wait);
        while (!await condition())
        {
            await Task.Delay(50, cancel.Token);
        }
    }
}
