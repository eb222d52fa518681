using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// A TLS server on 127.0.0.1 (a carrier, for the edge's outbound TLS): presents one certificate, records the SNI of
/// each handshake (read in its ServerCertificateSelectionCallback) and the first message of each connection.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _serverNames = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;

    /// <summary>A server on <paramref name="address"/> (default 127.0.0.1; ::1 for IPv6) and a free port.</summary>
    public LoopbackTlsServer(X509Certificate2 certificate, IPAddress? address = null)
    {
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The SNI of the next handshake that reached certificate selection ("" when the client sent none), within 10 s.</summary>
    public async Task<string> NextServerNameAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await _serverNames.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next message received over a finished handshake, within 10 s.</summary>
    public async Task<string> NextMessageAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await _messages.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when some message was received (a refused handshake must leave none).</summary>
    public bool ReceivedAny => _messages.Reader.Count > 0;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting; // no connection is added after it ends
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateSelectionCallback = (_, name) =>
                        {
                            _serverNames.Writer.TryWrite(name ?? "");
                            return _certificate;
                        },
                    },
                    _stop.Token);
                var buffer = new byte[4096];
                var text = new StringBuilder();
                while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await tls.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                _messages.Writer.TryWrite(text.ToString());
                _ = await tls.ReadAsync(buffer, _stop.Token); // hold the connection until the client or the test ends it
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
            {
                // A client that refused our certificate aborts the handshake; a test that ends closes the rest.
            }
        }
    }
}
