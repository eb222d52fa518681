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
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly HashSet<string> _seen = [];
    private IPEndPoint _node;

    public UdpPhone(int nodePort) => _node = new IPEndPoint(IPAddress.Loopback, nodePort);

    /// <summary>The node port this phone sends to; a callee made before its node starts learns it here.</summary>
    public int NodePort
    {
        get => _node.Port;
        set => _node = new IPEndPoint(IPAddress.Loopback, value);
    }

    public int LocalPort => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    public string Transport => "udp";

    public async Task SendAsync(byte[] message) => await _socket.SendAsync(message, _node);

    public async Task<SipMessage> ReceiveMessageAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
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
