using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A node of its own whose calls go nowhere: INVITEs it accepts ring out to an empty port. The torture messages'
/// <c>sip:user@example.com</c> has a route of its own without targets (a <c>refuse</c> route), so an OPTIONS to it, which
/// the node relays (docs/interop.md, "MESSAGE and OPTIONS out of dialog"), is answered at once: 404.
/// </summary>
public sealed class TortureNodeFixture : IAsyncLifetime
{
    internal NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
        => Node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", new Dictionary<string, string>
        {
            ["CallControl__Edge__IdleTimeout"] = "00:00:02",
            ["CallControl__Routing__Routes__0__Name"] = "torture-user",
            ["CallControl__Routing__Routes__0__Prefix"] = "user",
            ["CallControl__Routing__Routes__0__Flow"] = "refuse",
        });

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// RFC 4475's transaction- and application-layer messages (§3.2, §3.3) sent to a running node over UDP: the
/// node reacts as the RFC prescribes for a UAS. Each message's top Via is pointed at the test's socket so
/// that the response comes back to it; nothing else in the message changes.
/// </summary>
public sealed partial class TortureNodeTests(TortureNodeFixture fixture) : IClassFixture<TortureNodeFixture>
{
    [Theory]
    [InlineData("badbranch.dat", 404)] // bare z9hG4bK: handled (RFC 2543 matching); an OPTIONS to a user, relayed: no target
    [InlineData("insuf.dat", 400)]
    [InlineData("unkscm.dat", 416)]
    [InlineData("novelsc.dat", 416)]
    [InlineData("unksm2.dat", 400)] // REGISTER for a non-SIP address of record
    [InlineData("bext01.dat", 420)]
    [InlineData("invut.dat", 415)]
    [InlineData("regaut01.dat", 401)] // a registrar ignores the unknown scheme and challenges
    [InlineData("multi01.dat", 400)]
    [InlineData("mcl01.dat", 400)]
    [InlineData("zeromf.dat", 483)] // Max-Forwards 0 on an OPTIONS to a user, which the node would relay (RFC 4475 §3.3.11: a proxy's 483)
    [InlineData("sdp01.dat", 406)]
    [InlineData("intmeth.dat", 501)]
    [InlineData("esc02.dat", 501)]
    [InlineData("inv2543.dat", 100)]
    [InlineData("wsinv.dat", 100)]
    public async Task The_node_answers_as_rfc4475_prescribes(string file, int status)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var response = await ExchangeAsync(socket, PointViaAt(Load(file), ((IPEndPoint)socket.LocalEndPoint!).Port), skipTrying: status != 100);

        Assert.StartsWith($"SIP/2.0 {status} ", response, StringComparison.Ordinal);
        if (file == "bext01.dat")
        {
            Assert.Contains("Unsupported: nothingSupportsThis, nothingSupportsThisEither\r\n", response, StringComparison.Ordinal);
        }

        if (status == 501)
        {
            Assert.Contains("\r\nAllow: ", response, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_response_with_a_broadcast_via_is_dropped_and_the_node_goes_on()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var node = new IPEndPoint(IPAddress.Loopback, fixture.Node.SipPort);
        await socket.SendToAsync(Load("bcast.dat"), SocketFlags.None, node);

        // The node handles datagrams in order: had bcast.dat drawn a response, it would come before this one.
        var probe = PointViaAt(Load("zeromf.dat"), ((IPEndPoint)socket.LocalEndPoint!).Port);
        var response = await ExchangeAsync(socket, probe);
        Assert.StartsWith("SIP/2.0 483 ", response, StringComparison.Ordinal); // the probe's own answer (an OPTIONS to a user, Max-Forwards 0)
        Assert.Contains("zeromf", response, StringComparison.Ordinal);
    }

    private static byte[] Load(string file) => File.ReadAllBytes(Path.Combine(RepoPaths.Root, "..", "shared", "sip", "rfc4475", file));

    /// <summary>Rewrites the first Via's sent-protocol and sent-by to UDP 127.0.0.1:port, keeping its parameters.</summary>
    private static byte[] PointViaAt(byte[] message, int port)
    {
        var text = Encoding.Latin1.GetString(message); // byte-preserving
        var rewritten = FirstVia().Replace(text, m => $"{m.Groups[1].Value}SIP/2.0/UDP 127.0.0.1:{port}", 1);
        return Encoding.Latin1.GetBytes(rewritten);
    }

    /// <summary>Sends a request and returns the first response within 10 s (past any 100 Trying, when asked).</summary>
    private async Task<string> ExchangeAsync(Socket socket, byte[] request, bool skipTrying = false)
    {
        await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, fixture.Node.SipPort));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[65_536];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            var response = Encoding.Latin1.GetString(buffer, 0, received);
            if (!(skipTrying && response.StartsWith("SIP/2.0 100 ", StringComparison.Ordinal)))
            {
                return response;
            }
        }
    }

    // "Via:" or "v:" (any case, any LWS, folded or not), then the sent-protocol and sent-by up to ';' or ','.
    [GeneratedRegex(@"(?im)^((?:via|v)[ \t]*:[ \t\r\n]*)SIP[ \t\r\n]*/[ \t\r\n]*2\.0[ \t\r\n]*/[ \t\r\n]*[A-Z]+[ \t\r\n]+[^;,\r\n]+")]
    private static partial Regex FirstVia();
}
