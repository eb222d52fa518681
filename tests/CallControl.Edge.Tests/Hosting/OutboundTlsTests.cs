using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using CallControl.Edge.Hosting;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The edge's outbound TLS against a loopback carrier whose certificate a test CA issued: the host the route named
/// (here through PeerResolver, as a grain's SipPeer reaches the wire) is sent as SNI and checked against the
/// certificate; the chain must end in CallControl:Edge:Tls:TrustedCertificatesPath's CAs when it is set; and
/// AllowUntrustedServers accepts anything.
/// </summary>
public sealed class OutboundTlsTests : IDisposable
{
    private static readonly byte[] Options = "OPTIONS sip:carrier SIP/2.0\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
    private readonly string _folder = Directory.CreateTempSubdirectory("callcontrol-tls-").FullName;
    private readonly TestCertificateAuthority _ca = new("CallControl test CA");
    private readonly TestCertificateAuthority _otherCa = new("Somebody else's CA");

    [Fact]
    public async Task A_carrier_named_by_host_with_a_certificate_for_that_name_from_a_trusted_ca_is_accepted_and_gets_sni()
    {
        await using var carrier = new LoopbackTlsServer(_ca.Issue(["localhost"]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        await edge.SendAsync("localhost", carrier.Port);

        Assert.Equal("localhost", await carrier.NextServerNameAsync());
        Assert.StartsWith("OPTIONS sip:carrier SIP/2.0", await carrier.NextMessageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_another_host_is_refused_though_its_ca_is_trusted()
    {
        await using var carrier = new LoopbackTlsServer(_ca.Issue(["carrier.example"]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        var failed = await edge.SendAndAwaitFailureAsync("localhost", carrier.Port);

        Assert.Equal("localhost", failed.HostName);
        Assert.Equal("localhost", await carrier.NextServerNameAsync()); // it asked for the right name; the answer was wrong
        Assert.False(carrier.ReceivedAny);
    }

    [Fact]
    public async Task A_certificate_from_a_ca_that_is_not_trusted_is_refused()
    {
        await using var carrier = new LoopbackTlsServer(_otherCa.Issue(["localhost"]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        await edge.SendAndAwaitFailureAsync("localhost", carrier.Port);

        Assert.False(carrier.ReceivedAny);
    }

    [Fact]
    public async Task Without_a_trust_store_file_the_system_store_decides_and_a_test_ca_is_refused()
    {
        await using var carrier = new LoopbackTlsServer(_ca.Issue(["localhost"]));
        await using var edge = Edge(new EdgeTlsOptions());

        await edge.SendAndAwaitFailureAsync("localhost", carrier.Port);

        Assert.False(carrier.ReceivedAny);
    }

    [Fact]
    public async Task Allow_untrusted_servers_accepts_a_certificate_from_an_untrusted_ca_for_another_host()
    {
        await using var carrier = new LoopbackTlsServer(_otherCa.Issue(["carrier.example"]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder), AllowUntrustedServers = true });

        await edge.SendAsync("localhost", carrier.Port);

        Assert.StartsWith("OPTIONS sip:carrier SIP/2.0", await carrier.NextMessageAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ip_literal_target_is_checked_against_the_certificates_ip_addresses_without_sni()
    {
        await using var byAddress = new LoopbackTlsServer(_ca.Issue([], [IPAddress.Loopback]));
        await using var byNameOnly = new LoopbackTlsServer(_ca.Issue(["localhost"]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        await edge.SendAsync("127.0.0.1", byAddress.Port);
        Assert.Equal("", await byAddress.NextServerNameAsync()); // no SNI for an IP literal (RFC 6066 §3)
        Assert.StartsWith("OPTIONS", await byAddress.NextMessageAsync(), StringComparison.Ordinal);

        await edge.SendAndAwaitFailureAsync("127.0.0.1", byNameOnly.Port);
        Assert.False(byNameOnly.ReceivedAny);
    }

    [Fact]
    public async Task An_IPv6_literal_target_is_checked_against_the_certificates_IPv6_addresses()
    {
        await using var byAddress = new LoopbackTlsServer(_ca.Issue([], [IPAddress.IPv6Loopback]), IPAddress.IPv6Loopback);
        await using var forIPv4Only = new LoopbackTlsServer(_ca.Issue([], [IPAddress.Loopback]), IPAddress.IPv6Loopback);
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        await edge.SendAsync("[::1]", byAddress.Port); // as a target "sip:[::1]:PORT;transport=tls" names it
        Assert.Equal("", await byAddress.NextServerNameAsync());
        Assert.StartsWith("OPTIONS", await byAddress.NextMessageAsync(), StringComparison.Ordinal);

        await edge.SendAndAwaitFailureAsync("[::1]", forIPv4Only.Port);
        Assert.False(forIPv4Only.ReceivedAny);
    }

    [Fact]
    public async Task A_connection_opened_for_one_name_is_reused_for_it_and_not_for_another_name_at_the_same_address()
    {
        await using var carrier = new LoopbackTlsServer(_ca.Issue(["localhost"], [IPAddress.Loopback]));
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });

        await edge.SendAsync("localhost", carrier.Port);
        Assert.Equal("localhost", await carrier.NextServerNameAsync());
        await carrier.NextMessageAsync();

        await edge.SendAsync("127.0.0.1", carrier.Port); // the same address, named otherwise: a handshake of its own
        Assert.Equal("", await carrier.NextServerNameAsync());
        await carrier.NextMessageAsync();
        Assert.Equal(2, edge.Transport.ConnectionCount);
    }

    [Fact]
    public async Task A_phone_named_by_its_ip_is_reached_over_the_tls_connection_it_opened_but_a_host_name_for_that_address_is_not()
    {
        await using var edge = Edge(new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) });
        using var socket = new TcpClient(AddressFamily.InterNetwork);
        await socket.ConnectAsync(IPAddress.Loopback, edge.Transport.LocalEndPoint.Port);
        await using var phone = new SslStream(socket.GetStream());
        await phone.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "edge.test", RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == edge.Certificate.GetCertHashString() });
        var phoneAddress = (IPEndPoint)socket.Client.LocalEndPoint!;

        edge.Transport.Send(new SipEndPoint(SipTransportKind.Tls, phoneAddress, 0, "127.0.0.1"), Options);
        Assert.StartsWith("OPTIONS sip:carrier SIP/2.0", await ReadMessageAsync(phone), StringComparison.Ordinal);

        // Named by a host name, the same address needs a connection whose certificate was checked: the edge dials the
        // phone's port, where nothing listens, rather than trust a connection nobody authenticated.
        edge.Transport.Send(new SipEndPoint(SipTransportKind.Tls, phoneAddress, 0, "localhost"), Options);
        Assert.Equal("localhost", (await edge.FailureAsync()).HostName);
    }

    [Fact]
    public void The_trust_store_file_must_exist_and_hold_a_certificate_and_the_error_names_the_key()
    {
        var empty = Path.Combine(_folder, "empty.pem");
        File.WriteAllText(empty, "no certificate here\n");
        foreach (var (path, problem) in new[] { (Path.Combine(_folder, "missing.pem"), "does not exist"), (empty, "holds no PEM certificate") })
        {
            var result = new EdgeOptionsValidator().Validate(null, new EdgeOptions { Tls = new EdgeTlsOptions { TrustedCertificatesPath = path } });

            var failure = Assert.Single(result.Failures ?? []);
            Assert.StartsWith($"CallControl:Edge:Tls:TrustedCertificatesPath: '{path}' {problem}", failure, StringComparison.Ordinal);
        }

        Assert.True(new EdgeOptionsValidator().Validate(null, new EdgeOptions { Tls = new EdgeTlsOptions { TrustedCertificatesPath = _ca.WritePem(_folder) } }).Succeeded);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string> ReadMessageAsync(SslStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var text = "";
        while (!text.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            text += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }

        return text;
    }

    private Client Edge(EdgeTlsOptions options)
    {
        var ours = _otherCa.Issue(["edge.test"]); // the edge's own, for inbound connections: not looked at here
        var transport = StreamTransport.Tls(new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), OutboundTls.Settings(ours, options, NullLogger.Instance), TimeProvider.System, NullLogger<StreamTransport>.Instance);
        return new Client(transport, ours);
    }

    /// <summary>The edge's TLS transport and its resolver: a SipPeer as a grain names it goes out as the edge sends it.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly PeerResolver _resolver = new(CallControl.Edge.Tests.Routing.SystemLocator.Instance);
        private readonly TaskCompletionSource<SipEndPoint> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Client(StreamTransport transport, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
        {
            Transport = transport;
            Certificate = certificate;
            transport.SendFailed += destination => _failed.TrySetResult(destination);
            transport.Start(new NoMessages());
        }

        public StreamTransport Transport { get; }

        /// <summary>The edge's own certificate, which a phone connecting to it sees.</summary>
        public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; }

        public async Task SendAsync(string host, int port)
        {
            var destination = await _resolver.ResolveAsync(new SipPeer(SipTransportKind.Tls, host, port), CancellationToken.None);
            Assert.NotNull(destination);
            Assert.Equal(SipHost.Bare(host), destination.Value.HostName); // an IPv6 literal is checked bare
            Transport.Send(destination.Value, Options);
        }

        /// <summary>Sends, then waits for the transport to report the destination unreachable.</summary>
        public async Task<SipEndPoint> SendAndAwaitFailureAsync(string host, int port)
        {
            await SendAsync(host, port);
            return await FailureAsync();
        }

        /// <summary>The first destination the transport reported unreachable, within 10 s.</summary>
        public Task<SipEndPoint> FailureAsync() => _failed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public ValueTask DisposeAsync() => Transport.DisposeAsync();
    }

    private sealed class NoMessages : ISipMessageSink
    {
        public void OnMessage(ReadOnlyMemory<byte> message, SipEndPoint source, TimeSpan waited)
        {
        }
    }
}
