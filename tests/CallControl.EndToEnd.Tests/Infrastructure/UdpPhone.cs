using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A phone on a UDP socket of its own on loopback, talking to one node port. Messages the node retransmits
/// (the same bytes again) are skipped: a test reads each message once. Every receive is bounded in time.
/// </summary>
internal sealed class UdpPhone : ISipPhone, IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(20);
    private readonly UdpClient _socket;
    private readonly HashSet<string> _seen = [];
    private readonly IPAddress _nodeAddress;
    private IPEndPoint _node;

    /// <summary>
    /// A phone on <paramref name="localAddress"/> (default 127.0.0.1) and <paramref name="localPort"/> (default: any free
    /// one), talking to the node on the loopback of the same family (::1 for an IPv6 phone).
    /// </summary>
    public UdpPhone(int nodePort, int localPort = 0, string localAddress = "127.0.0.1")
    {
        var local = IPAddress.Parse(localAddress);
        _socket = new UdpClient(new IPEndPoint(local, localPort));
        _nodeAddress = local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        _node = new IPEndPoint(_nodeAddress, nodePort);
    }

    /// <summary>The address this phone sends from.</summary>
    public string LocalAddress => ((IPEndPoint)_socket.Client.LocalEndPoint!).Address.ToString();

    /// <summary>The node port this phone sends to; a callee made before its node starts learns it here.</summary>
    public int NodePort
    {
        get => _node.Port;
        set => _node = new IPEndPoint(_nodeAddress, value);
    }

    /// <inheritdoc />
    public string Host => Sip.Headers.SipHost.Of(_nodeAddress);

    public int LocalPort => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    public string Transport => "udp";

    public async Task SendAsync(byte[] message) => await _socket.SendAsync(message, _node);

    public Task<SipMessage> ReceiveMessageAsync() => ReceiveMessageAsync(ReceiveTimeout);

    /// <summary>The next message within <paramref name="within"/>; throws OperationCanceledException when none came.</summary>
    public async Task<SipMessage> ReceiveMessageAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (true)
        {
            var datagram = await _socket.ReceiveAsync(timeout.Token);
            if (!_seen.Add(Convert.ToHexString(SHA256.HashData(datagram.Buffer))))
            {
                continue; // a retransmission
            }

            if (SipParser.TryParse(datagram.Buffer, out var message, out _))
            {
                return message;
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
