using System.Net;
using System.Net.Sockets;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Loopback ports nobody is using: each is free for both UDP and TCP, and never handed out twice by this process.
/// They are taken below the kernel's ephemeral ports (32768 and up): a port from among those, free when picked, can
/// be taken by any process's outgoing connection before the process it was picked for binds it, and a cluster's
/// start-up binds a dozen of them seconds later.
/// </summary>
internal static class FreePorts
{
    private const int First = 10_000;   // below: ports well-known services may hold
    private const int End = 20_000;     // MediaRange's ranges start here

    private static readonly HashSet<int> Given = [];
    private static int _cursor = First + Random.Shared.Next(End - First); // runs of the suite side by side start apart

    /// <summary>A port free on 127.0.0.1 for UDP and TCP.</summary>
    public static int Next() => Block(1);

    /// <summary>The first of <paramref name="count"/> consecutive free ports (sipp's media ports need a few).</summary>
    public static int Block(int count)
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 2_000; attempt++)
            {
                var first = Pick(count);
                var ports = Enumerable.Range(first, count).ToArray();
                if (ports.All(p => !Given.Contains(p) && IsFree(p)))
                {
                    Given.UnionWith(ports);
                    return first;
                }
            }

            throw new InvalidOperationException("No free loopback ports found.");
        }
    }

    /// <summary>
    /// The first port of a range of <paramref name="size"/> for rtpengine's media, below the kernel's ephemeral ports
    /// (32768 and up), where a test's other sockets never land: rtpengine itself passes over a port that is taken, so
    /// the range is not checked port by port (a thousand free ports in a row among the ephemeral ones are rarely found
    /// on a busy run), only that no range given before overlaps it and that its first ports are free.
    /// </summary>
    public static int MediaRange(int size)
    {
        lock (Given)
        {
            for (var first = 20_000; first + size <= 32_000; first += size)
            {
                var range = Enumerable.Range(first, size);
                if (!range.Any(Given.Contains) && Enumerable.Range(first, 4).All(IsFree))
                {
                    Given.UnionWith(range);
                    return first;
                }
            }

            throw new InvalidOperationException($"No range of {size} media ports left below 32000.");
        }
    }

    /// <summary>The next candidate for a block of <paramref name="count"/>, going round the range.</summary>
    private static int Pick(int count)
    {
        if (_cursor + count > End)
        {
            _cursor = First;
        }

        var first = _cursor;
        _cursor += count;
        return first;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
