using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>
/// A UDP socket on loopback that stands in for rtpengine: every datagram it receives is queued for the test, which
/// answers (or not) with <see cref="ReplyAsync"/>. Loops end when disposed.
/// </summary>
internal sealed class FakeNgServer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly CancellationTokenSource _stop = new();

    public FakeNgServer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Address = new NgAddress("127.0.0.1", ((IPEndPoint)_socket.LocalEndPoint!).Port);
        _ = Task.Run(ReceiveLoopAsync);
    }

    public NgAddress Address { get; }

    /// <summary>The next datagram received (waits up to 10 s).</summary>
    public async Task<Received> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Whether another datagram is already queued.</summary>
    public bool TryNext(out Received received) => _received.Reader.TryRead(out received!);

    public async Task ReplyAsync(Received to, BencodeDictionary reply)
    {
        var body = BencodeWriter.ToArray(reply);
        byte[] datagram = [.. Encoding.ASCII.GetBytes(to.Cookie + " "), .. body];
        await _socket.SendToAsync(datagram, to.From);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65_535];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await _socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                var bytes = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
                var space = Array.IndexOf(bytes, (byte)' ');
                var message = BencodeReader.Decode(bytes.AsMemory(space + 1)).AsDictionary()!;
                _received.Writer.TryWrite(new Received(bytes, Encoding.ASCII.GetString(bytes, 0, space), message, (IPEndPoint)r.RemoteEndPoint));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    public sealed record Received(byte[] Datagram, string Cookie, BencodeDictionary Message, IPEndPoint From)
    {
        public string? Command => Message.Text("command");
    }
}
