using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>
/// One side of a call's media for the tests: an RTP socket on 127.0.0.1 (its SDP offers that port), sending PCMU
/// packets of 160 bytes to a given address and counting what it receives.
/// </summary>
internal sealed class RtpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly uint _ssrc;

    public RtpPeer(uint ssrc)
    {
        _ssrc = ssrc;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>An SDP offering PCMU and telephone-event on this peer's port, CRLF line ends.</summary>
    public string Sdp(string user) => string.Create(CultureInfo.InvariantCulture,
        $"v=0\r\no={user} 1001 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {Port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n");

    /// <summary>Sends <paramref name="count"/> RTP packets (12-byte header, 160 bytes of payload) to <paramref name="target"/>.</summary>
    public async Task SendAsync(IPEndPoint target, int count)
    {
        var packet = new byte[172];
        packet[0] = 0x80; // V=2
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), _ssrc);
        for (var seq = 0; seq < count; seq++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)seq);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(seq * 160));
            await _socket.SendToAsync(packet, target);
        }
    }

    /// <summary>Receives until <paramref name="count"/> packets have come or 10 s pass; returns how many came, and the SSRC of the last.</summary>
    public async Task<(int Count, uint Ssrc)> ReceiveAsync(int count)
    {
        var buffer = new byte[2048];
        var received = 0;
        uint ssrc = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (received < count)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (n >= 12)
                {
                    ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8));
                    received++;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // fewer than expected: the caller's assertion says so
        }

        return (received, ssrc);
    }

    public void Dispose() => _socket.Dispose();
}
