using System.Net;
using System.Net.Sockets;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>Loopback ports nobody is using: each is free for both UDP and TCP, and never handed out twice by this process.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port free on 127.0.0.1 for UDP and TCP.</summary>
    public static int Next() => Block(1);

    /// <summary>The first of <paramref name="count"/> consecutive free ports (sipp's media ports need a few).</summary>
    public static int Block(int count)
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var first = Pick();
                var ports = Enumerable.Range(first, count).ToArray();
                if (ports.All(p => p < 65_000 && !Given.Contains(p) && IsFree(p)))
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

    private static int Pick()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
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
