using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallControl.EndToEnd.Tests;

/// <summary>Bad input gets a 400 (or is dropped where RFC 3261 says so) and the node goes on answering.</summary>
[Collection(NodesCollection.Name)]
public sealed class MalformedInputTests(NodesFixture nodes)
{
    private const string ValidOptions = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{0};branch=z9hG4bK-{1}\r\nMax-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: probe-{1}@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task A_request_missing_its_call_id_gets_a_400_naming_it()
    {
        using var socket = Bind();
        var request = Format(ValidOptions, socket, "nocallid").Replace("Call-ID: probe-nocallid@test\r\n", "", StringComparison.Ordinal);

        var response = await ExchangeAsync(socket, request);

        Assert.StartsWith("SIP/2.0 400 Bad Request - Missing Call-ID\r\n", response, StringComparison.Ordinal);
        Assert.Contains("branch=z9hG4bK-nocallid", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: 0", "Subject: a\0b\r\nContent-Length: 0", "Subject")]       // NUL
    [InlineData("Content-Length: 0", "Subject: a\u007fb\r\nContent-Length: 0", "Subject")]   // DEL
    [InlineData("Content-Length: 0", "Content-Length: 0\r", "Content-Length")]                // a bare CR before the CRLF
    public async Task A_control_character_in_a_header_value_gets_a_400_naming_the_header(string find, string replace, string header)
    {
        using var socket = Bind();
        var request = Format(ValidOptions, socket, "ctl").Replace(find, replace, StringComparison.Ordinal);

        var response = await ExchangeAsync(socket, request, expectBranch: "z9hG4bK-ctl");

        Assert.StartsWith($"SIP/2.0 400 Bad Request - Control Character in {header}\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_sip_version_gets_505()
    {
        using var socket = Bind();
        var response = await ExchangeAsync(socket, Format(ValidOptions, socket, "v3").Replace("127.0.0.1 SIP/2.0", "127.0.0.1 SIP/3.0", StringComparison.Ordinal));
        Assert.StartsWith("SIP/2.0 505 ", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_malformed_datagrams_leaves_the_node_answering()
    {
        // The flood comes from one socket (its replies may overflow it; nobody reads them), the probe from another.
        using var flood = Bind();
        using var socket = Bind();
        var node = new IPEndPoint(IPAddress.Loopback, nodes.Node("udp").SipPort);
        var junk = new[]
        {
            "\u0001\u0002garbage"u8.ToArray(),
            "INVITE sip:x SIP/2.0\r\nVia: broken\r\n\r\n"u8.ToArray(),
            "SIP/2.0 200 OK\r\nCSeq: x\r\n\r\n"u8.ToArray(),
            Encoding.ASCII.GetBytes(Format(ValidOptions, socket, "cl").Replace("Content-Length: 0", "Content-Length: 999", StringComparison.Ordinal)),
            new byte[1400],
        };

        // Warm up, then measure the node's resident memory around a bounded flood of 40,000 datagrams.
        Assert.StartsWith("SIP/2.0 200 ", await ExchangeAsync(socket, Format(ValidOptions, socket, "warm"), expectBranch: "z9hG4bK-warm"), StringComparison.Ordinal);
        var before = nodes.Node("udp").ResidentBytes();
        for (var i = 0; i < 40_000; i++)
        {
            await flood.SendToAsync(junk[i % junk.Length], SocketFlags.None, node);
        }

        var response = await ExchangeAsync(socket, Format(ValidOptions, socket, "alive"), expectBranch: "z9hG4bK-alive");
        Assert.StartsWith("SIP/2.0 200 ", response, StringComparison.Ordinal);
        var grown = nodes.Node("udp").ResidentBytes() - before;
        Assert.True(grown < 48L << 20, $"resident memory grew by {grown >> 20} MiB during the flood");
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static string Format(string template, Socket socket, string id)
        => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, ((IPEndPoint)socket.LocalEndPoint!).Port, id);

    /// <summary>
    /// Sends a request and returns the first response (with the expected branch, when given) within 15 s,
    /// retransmitting every 500 ms as a SIP client does over UDP (RFC 3261 Timer E): right after a flood the
    /// node's receive buffer may be full and drop the first copy.
    /// </summary>
    private async Task<string> ExchangeAsync(Socket socket, string request, string? expectBranch = null)
    {
        var node = new IPEndPoint(IPAddress.Loopback, nodes.Node("udp").SipPort);
        var bytes = Encoding.ASCII.GetBytes(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[65_536];
        var receive = socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).AsTask();
        while (true)
        {
            await socket.SendToAsync(bytes, SocketFlags.None, node);
            if (await Task.WhenAny(receive, Task.Delay(500, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default)) != receive)
            {
                timeout.Token.ThrowIfCancellationRequested();
                continue;
            }

            var text = Encoding.ASCII.GetString(buffer, 0, await receive);
            if (expectBranch is null || text.Contains(expectBranch, StringComparison.Ordinal))
            {
                return text;
            }

            receive = socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).AsTask();
        }
    }
}
