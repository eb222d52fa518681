using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A tiny UDP or TCP peer (python3, Infrastructure/nat_peer.py) in a <see cref="NatRouter"/>'s phone namespace: sends
/// lines when told, reports what it receives. Proves the router without any CallControl feature.
/// </summary>
internal sealed class NatPeer : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly ChildProcess _process;

    private NatPeer(ChildProcess process, IPEndPoint privateEndpoint)
    {
        _process = process;
        PrivateEndpoint = privateEndpoint;
    }

    /// <summary>The phone's own address and port, before translation.</summary>
    public IPEndPoint PrivateEndpoint { get; }

    public string Output => _process.Output;

    /// <summary>Starts the peer on the phone's <paramref name="phonePort"/> toward <paramref name="destination"/> (for tcp, connected).</summary>
    public static async Task<NatPeer> StartAsync(NatRouter nat, string transport, int phonePort, IPEndPoint destination)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "nat_peer.py");
        var port = phonePort.ToString(CultureInfo.InvariantCulture);
        var process = nat.RunInPhone("python3", ["-u", script, transport, nat.PhoneAddress.ToString(), port, destination.Address.ToString(), destination.Port.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            await process.WaitForLineAsync(l => l == "ready", Wait);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new NatPeer(process, new IPEndPoint(nat.PhoneAddress, phonePort));
    }

    /// <summary>Sends <paramref name="text"/> to the destination (a datagram, or a line on the connection).</summary>
    public async Task SendAsync(string text)
    {
        await _process.WriteLineAsync(text);
        await _process.WaitForLineAsync(l => l == "sent " + text, Wait);
    }

    /// <summary>Waits for <paramref name="text"/> to arrive; returns where it came from (as the phone sees it).</summary>
    public async Task<IPEndPoint> ReceiveAsync(string text, TimeSpan? timeout = null)
    {
        var line = await _process.WaitForLineAsync(l => l.StartsWith($"recv {text} from ", StringComparison.Ordinal), timeout ?? Wait);
        return IPEndPoint.Parse(line[$"recv {text} from ".Length..]);
    }

    /// <summary>Whether <paramref name="text"/> arrives within <paramref name="within"/> (a bounded wait for a negative).</summary>
    public async Task<bool> ReceivesAsync(string text, TimeSpan within)
    {
        try
        {
            await ReceiveAsync(text, within);
            return true;
        }
        catch (TimeoutException) when (!_process.HasExited)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
