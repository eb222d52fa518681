using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Two embedded-default nodes for the whole suite: one whose unrouted calls go to a UDP callee, one whose
/// go to a TCP callee (the target's ;transport). Each test runs its own sipp callee on that node's callee port.
/// </summary>
public sealed class NodesFixture : IAsyncLifetime
{
    private NodeProcess? _udp;
    private NodeProcess? _tcp;

    public int UdpCalleePort { get; } = FreePorts.Next();

    public int TcpCalleePort { get; } = FreePorts.Next();

    internal NodeProcess Node(string transport) => (transport == "tcp" ? _tcp : _udp) ?? throw new InvalidOperationException("Nodes not started.");

    public int CalleePort(string transport) => transport == "tcp" ? TcpCalleePort : UdpCalleePort;

    public async Task InitializeAsync()
    {
        var udp = NodeProcess.StartAsync($"sip:127.0.0.1:{UdpCalleePort}", TestSettings.ShortCallTimers);
        var tcp = NodeProcess.StartAsync($"sip:127.0.0.1:{TcpCalleePort};transport=tcp", TestSettings.ShortCallTimers);
        _udp = await udp;
        _tcp = await tcp;
    }

    public async Task DisposeAsync()
    {
        if (_udp is not null)
        {
            await _udp.DisposeAsync();
        }

        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NodesCollection : ICollectionFixture<NodesFixture>
{
    public const string Name = "nodes";
}
