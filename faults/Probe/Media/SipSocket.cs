using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.FaultProbe.Media;

/// <summary>
/// A UDP SIP socket of the probe's phones: every message it receives goes to the inbox of its Call-ID's leg, and a new
/// call's INVITE (a Call-ID no leg has) to <see cref="NewCalls"/>, with where it came from.
/// </summary>
internal sealed class SipSocket : IDisposable
{
    private readonly UdpClient _udp;
    private readonly ConcurrentDictionary<string, Channel<(SipMessage Message, IPEndPoint From)>> _legs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public SipSocket(int port = 0)
    {
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        _ = ReceiveAsync();
    }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    /// <summary>New calls' INVITEs and their sources.</summary>
    public Channel<(SipMessage Invite, IPEndPoint From)> NewCalls { get; } = Channel.CreateUnbounded<(SipMessage, IPEndPoint)>();

    /// <summary>The inbox of the leg with this Call-ID: each message with where it came from (a response goes back there).</summary>
    public ChannelReader<(SipMessage Message, IPEndPoint From)> Inbox(string callId) => _legs.GetOrAdd(callId, _ => Channel.CreateUnbounded<(SipMessage, IPEndPoint)>()).Reader;

    public async Task SendAsync(byte[] message, IPEndPoint to) => await _udp.SendAsync(message, to);

    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                var datagram = await _udp.ReceiveAsync(_stop.Token);
                if (!SipParser.TryParse(datagram.Buffer, out var message, out _))
                {
                    continue;
                }

                if (_legs.TryGetValue(message.CallId, out var leg))
                {
                    leg.Writer.TryWrite((message, datagram.RemoteEndPoint));
                }
                else if (message.Method == SipMethod.Invite)
                {
                    NewCalls.Writer.TryWrite((message, datagram.RemoteEndPoint));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // closed
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }
}
