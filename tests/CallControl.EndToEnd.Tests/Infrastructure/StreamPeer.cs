using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A SIP peer over one TCP or TLS connection, built on the project's own stack (framer, parser, builder): the
/// TLS client sipp here lacks. Reads framed messages; writes bytes.
/// </summary>
internal sealed class StreamPeer : IAsyncDisposable, ISipPhone
{
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private ReadOnlySequence<byte> _pending;

    private StreamPeer(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
        _reader = PipeReader.Create(stream);
    }

    public int LocalPort => ((System.Net.IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public X509Certificate2? ServerCertificate { get; private set; }

    public string Transport => "tcp";

    public static async Task<StreamPeer> ConnectAsync(int port, bool tls)
    {
        var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
        if (!tls)
        {
            return new StreamPeer(client, client.GetStream());
        }

        X509Certificate2? seen = null;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            seen = certificate is null ? null : new X509Certificate2(certificate);
            // The node's certificate is self-signed, so the chain is untrusted; the name must still match 127.0.0.1.
            return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && certificate is not null;
        });
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        return new StreamPeer(client, ssl) { ServerCertificate = seen };
    }

    public async Task SendAsync(byte[] message)
    {
        await _stream.WriteAsync(message);
        await _stream.FlushAsync();
    }

    /// <summary>The next message (or keep-alive) off the stream, within 10 s.</summary>
    public async Task<(FrameStatus Status, SipMessage? Message)> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (!_pending.IsEmpty)
            {
                var buffer = _pending;
                var status = StreamFramer.TryFrame(ref buffer, out var bytes);
                if (status == FrameStatus.NeedMore && _pending.Length == 2 && _pending.FirstSpan.SequenceEqual("\r\n"u8))
                {
                    // The framer waits to see whether a lone CRLF starts a ping; a client knows it is a pong.
                    _pending = default;
                    return (FrameStatus.Pong, null);
                }

                if (status != FrameStatus.NeedMore)
                {
                    _pending = new ReadOnlySequence<byte>(buffer.ToArray());
                    return (status, status == FrameStatus.Message ? SipParser.ParseTrusted(bytes) : null);
                }
            }

            var result = await _reader.ReadAsync(timeout.Token);
            _pending = new ReadOnlySequence<byte>([.. _pending.ToArray(), .. result.Buffer.ToArray()]);
            _reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted && result.Buffer.IsEmpty)
            {
                throw new IOException("The node closed the connection.");
            }
        }
    }

    /// <summary>The next SIP message, skipping keep-alives.</summary>
    public async Task<SipMessage> ReceiveMessageAsync()
    {
        while (true)
        {
            var (status, message) = await ReceiveAsync();
            if (message is not null)
            {
                return message;
            }

            if (status == FrameStatus.Invalid)
            {
                throw new InvalidDataException("Unframeable bytes from the node.");
            }
        }
    }

    /// <summary>Completes when the node closes the connection (read returns end of stream), or throws after the timeout.</summary>
    public async Task WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cancel.Token);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (IOException)
        {
            // Reset rather than closed: closed all the same.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
