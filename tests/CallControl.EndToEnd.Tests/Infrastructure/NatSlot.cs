using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One of <see cref="Count"/> numbered slots a <see cref="NatRouter"/> takes, unique on the machine: the slot's number
/// is in every name and address the router makes, so routers of parallel test classes (and of other test runs on the
/// same machine) never clash. A slot is held by an exclusive lock (flock) on a file of its own, which the kernel
/// releases when the holding process dies: a slot whose lock can be taken while its namespaces or link exist holds the
/// leftovers of a killed run, and whoever takes it removes them first.
/// </summary>
internal sealed partial class NatSlot : IDisposable
{
    /// <summary>The prefix of every namespace and link name a router makes.</summary>
    public const string Prefix = "ccnat";

    public const int Count = 250;

    private const string LockDirectory = "/run/callcontrol-nat";

    private static readonly HashSet<int> UsedHere = [];

    private readonly FileStream _lock;

    private NatSlot(int number, FileStream held)
    {
        Number = number;
        _lock = held;
    }

    public int Number { get; }

    /// <summary>The start of this slot's every name: "ccnat7-" (a namespace "ccnat7-phone", a link "ccnat7-h").</summary>
    public string NamePrefix => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Number}-");

    public string PhoneNamespace => NamePrefix + "phone";

    public string RouterNamespace => NamePrefix + "router";

    /// <summary>The host's end of the veth pair toward the router (at most 15 characters, as Linux wants).</summary>
    public string HostLink => NamePrefix + "h";

    /// <summary>
    /// Takes a free slot, trying them in random order, those this process has not used yet first: a number just
    /// released is not reused at once, so a test can still check that nothing with its prefix is left.
    /// </summary>
    public static NatSlot Take()
    {
        var order = Enumerable.Range(1, Count).OrderBy(_ => Random.Shared.Next()).ToList();
        lock (UsedHere)
        {
            order = [.. order.OrderBy(UsedHere.Contains)];
        }

        foreach (var number in order)
        {
            if (TryTake(number) is { } slot)
            {
                lock (UsedHere)
                {
                    UsedHere.Add(number);
                }

                return slot;
            }
        }

        throw new InvalidOperationException($"All {Count} NAT router slots are taken (locks in {LockDirectory}).");
    }

    /// <summary>The slot, if no live process holds it.</summary>
    public static NatSlot? TryTake(int number)
    {
        Directory.CreateDirectory(LockDirectory);
        try
        {
            // FileShare.None is an exclusive flock on Linux: refused while any process (this one included) holds it.
            return new NatSlot(number, new FileStream(LockPath(number), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The file whose exclusive flock holds slot <paramref name="number"/> (flock(1) can hold it too).</summary>
    public static string LockPath(int number) => Path.Combine(LockDirectory, number.ToString(CultureInfo.InvariantCulture) + ".lock");

    /// <summary>The slot numbers that have a namespace or a host link on this machine, held or not.</summary>
    public static IReadOnlySet<int> NumbersInUse()
    {
        var names = Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns").Select(Path.GetFileName) : [];
        names = names.Concat(Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName));
        return names.Select(n => SlotName().Match(n!)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
    }

    /// <summary>Removes the leftovers of every slot no live process holds (a killed run's); never a live router's.</summary>
    public static async Task RemoveAllLeftoversAsync()
    {
        foreach (var number in NumbersInUse())
        {
            using var slot = TryTake(number);
            if (slot is not null)
            {
                await slot.RemoveNetworkAsync();
            }
        }
    }

    /// <summary>
    /// Removes this slot's namespaces (after killing, by PID, every process still in them) and its host link.
    /// Safe to call when some or none of them exist.
    /// </summary>
    public async Task RemoveNetworkAsync()
    {
        foreach (var name in new[] { PhoneNamespace, RouterNamespace })
        {
            if (!File.Exists(Path.Combine("/run/netns", name)))
            {
                continue;
            }

            await KillProcessesInAsync(name);
            await NetCommand.RunAsync("ip", ["netns", "del", name]);
        }

        // Deleting the router's namespace takes the veth pair with it, a moment later; a link left by a run killed
        // before it moved the peer away is deleted here.
        var deadline = Stopwatch.StartNew();
        while (LinkExists(HostLink) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        if (LinkExists(HostLink))
        {
            await NetCommand.RunAsync("ip", ["link", "del", HostLink]);
        }
    }

    public void Dispose() => _lock.Dispose();

    private static bool LinkExists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    private static async Task KillProcessesInAsync(string netns)
    {
        var pids = await NetCommand.RunAsync("ip", ["netns", "pids", netns]);
        foreach (var pid in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or TimeoutException)
            {
                // Gone already, or not ours to wait for (ip netns del still detaches the name).
            }
        }
    }

    [GeneratedRegex(@"^ccnat(\d{1,3})-(phone|router|h)$")]
    private static partial Regex SlotName();
}
