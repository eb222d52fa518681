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
