using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallControl.FaultProbe.Media;

/// <summary>
/// One party's media as a phone makes it: an RTP packet every 20 ms to where its last SDP answer or offer said (the
/// target changes when a re-INVITE moves the media), and the arrival time of every packet it receives, so that a test
/// can measure the longest silence (the media gap). Bounded: it stops sending and receiving at <see cref="MaxRun"/>.
/// Shared by the fault probe (media-calls) and the end-to-end tests, which link this file.
/// </summary>
internal sealed class RtpStream : IDisposable
{
    private static readonly TimeSpan MaxRun = TimeSpan.FromMinutes(10);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new(MaxRun);
    private readonly List<long> _arrivals = [];
    private readonly Lock _lock = new();
    private readonly uint _ssrc;
    private volatile IPEndPoint? _target;

    public RtpStream(uint ssrc)
    {
        _ssrc = ssrc;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = ReceiveAsync();
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>An SDP offering PCMU on this stream's port, with session version <paramref name="version"/>.</summary>
    public string Sdp(string user, int version = 1) => string.Create(CultureInfo.InvariantCulture,
        $"v=0\r\no={user} 1001 {version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {Port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n");

    /// <summary>Sends to <paramref name="target"/> from now on (the first call starts the 20 ms clock).</summary>
    public void SendTo(IPEndPoint target)
    {
        var first = _target is null;
        _target = target;
        if (first)
        {
            _ = SendAsync();
        }
    }

    /// <summary>Packets received at or after <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public int CountSince(long since)
    {
        lock (_lock)
        {
            return _arrivals.Count(a => a >= since);
        }
    }

    /// <summary>Waits (bounded by <paramref name="within"/>) until <paramref name="count"/> packets came at or after <paramref name="since"/>.</summary>
    public async Task<bool> WaitForAsync(int count, long since, TimeSpan within)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
        while (CountSince(since) < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>The longest time between two packets received from <paramref name="since"/> on, counting from the last one before it.</summary>
    public TimeSpan LongestGapSince(long since)
    {
        lock (_lock)
        {
            var start = _arrivals.FindLastIndex(a => a < since);
            var longest = 0L;
            for (var i = Math.Max(start, 0) + 1; i < _arrivals.Count; i++)
            {
                longest = Math.Max(longest, _arrivals[i] - _arrivals[i - 1]);
            }

            return Stopwatch.GetElapsedTime(0, longest);
        }
    }

    private async Task SendAsync()
    {
        var packet = new byte[172];
        packet[0] = 0x80; // V=2, PCMU
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), _ssrc);
        using var clock = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            for (ushort seq = 0; await clock.WaitForNextTickAsync(_stop.Token); seq++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), seq * 160u);
                await _socket.SendToAsync(packet, _target!, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopped, or the target's port is closed (an ICMP error): the test's counts tell
            if (e is SocketException && !_stop.IsCancellationRequested)
            {
                _ = SendAsync(); // a dead rtpengine's port refuses: keep the clock going, as a phone does
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                try
                {
                    var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (n >= 12)
                    {
                        lock (_lock)
                        {
                            _arrivals.Add(Stopwatch.GetTimestamp());
                        }
                    }
                }
                catch (SocketException)
                {
                    // an ICMP port-unreachable from a dead rtpengine surfaces here on Linux: keep receiving
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // stopped
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
