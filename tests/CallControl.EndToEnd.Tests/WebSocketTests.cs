using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The embedded default node with SIP over WebSocket (RFC 7118, issue 22) on both ports, two subscribers, an allowed
/// origin and a small per-source connection limit, routing unregistered users to a sipp callee.
/// </summary>
public sealed class WebSocketNodeFixture : IAsyncLifetime
{
    public const string Origin = "https://app.example.test";
    public const string Password = "over-websocket";
    public const int MaxConnectionsPerSource = 4;

    private NodeProcess? _node;

    public int CalleePort { get; } = FreePorts.Next();

    public int WsPort { get; private set; }

    public int WssPort { get; private set; }

    internal NodeProcess Node => _node ?? throw new InvalidOperationException("Node not started.");

    public int Port(bool secure) => secure ? WssPort : WsPort;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers)
        {
            ["CallControl__Edge__Transports"] = "udp,tcp,tls,ws,wss",
            ["CallControl__Edge__WebSocketPort"] = "0",
            ["CallControl__Edge__SecureWebSocketPort"] = "0",
            ["CallControl__Edge__WebSocket__AllowedOrigins__0"] = Origin,
            ["CallControl__Edge__WebSocket__MaxConnectionsPerSource"] = MaxConnectionsPerSource.ToString(CultureInfo.InvariantCulture),
            ["CallControl__Subscribers__0__Username"] = "alice-ws",
            ["CallControl__Subscribers__0__Realm"] = "127.0.0.1",
            ["CallControl__Subscribers__0__Password"] = Password,
            ["CallControl__Subscribers__1__Username"] = "alice-wss",
            ["CallControl__Subscribers__1__Realm"] = "127.0.0.1",
            ["CallControl__Subscribers__1__Password"] = Password,
        };
        _node = await NodeProcess.StartAsync($"sip:127.0.0.1:{CalleePort}", settings);
        WsPort = await _node.ListeningPortAsync("Ws");
        WssPort = await _node.ListeningPortAsync("Wss");
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}

/// <summary>One WebSocket node for both classes, which then run one after the other (the per-source limit counts all their connections).</summary>
[CollectionDefinition(Name)]
public sealed class WebSocketCollection : ICollectionFixture<WebSocketNodeFixture>
{
    public const string Name = "websocket";
}

/// <summary>
/// A browser-like client (.NET's ClientWebSocket, subprotocol sip, a Contact under .invalid as JsSIP writes it) against
/// the node over WS and WSS: registered with digest it is called by a sipp caller over UDP and answers, ACK and BYE
/// reaching it over its own connection; it calls a sipp callee, which hangs up, and the call ends with a CDR.
/// </summary>
[Collection(WebSocketCollection.Name)]
public sealed class WebSocketCallTests(WebSocketNodeFixture fixture) : IDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40004 RTP/AVP 0\r\n";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-ws-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_websocket_client_registers_with_digest_and_answers_a_udp_callers_call_over_its_connection(bool secure)
    {
        var node = fixture.Node;
        var user = secure ? "alice-wss" : "alice-ws";
        await using var phone = await WebSocketPhone.ConnectAsync(fixture.Port(secure), secure, WebSocketNodeFixture.Origin);

        var challenge = await PhoneRegistration.RegisterAsync(phone, user, password: null);
        Assert.Equal(401, challenge.StatusCode);
        var registered = await PhoneRegistration.RegisterAsync(phone, user, WebSocketNodeFixture.Password, challenge);
        Assert.Equal(200, registered.StatusCode);
        Assert.EndsWith(".invalid", Assert.Single(registered.Addresses(HeaderId.Contact)).Uri.Host, StringComparison.Ordinal);

        var prefix = $"ws-callee-{(secure ? "wss" : "ws")}-";
        var caller = Sipp.RunCallerAsync("uac", "udp", node.SipPort, calls: 1, rate: 1, prefix, _work, "-s", user);
        var invite = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.Equal($"sip:{user}@{phone.SentBy};transport=ws", invite.RequestUri); // its Contact, reached over its connection
        Assert.Equal(secure ? "WSS" : "WS", invite.TopVia.Transport);
        Assert.Equal(fixture.Port(secure), invite.TopVia.Port);
        await PhoneRegistration.AnswerUntilByeAsync(phone, invite, user, Sdp);

        var (exit, output) = await caller;
        Assert.True(exit == 0, output);
        var cdr = Assert.Single(await node.WaitForCdrsAsync(prefix));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_websocket_client_calls_a_sipp_callee_which_hangs_up_over_the_clients_connection_with_a_cdr(bool secure)
    {
        var node = fixture.Node;
        await using var callee = await Sipp.StartCalleeAsync("callee-bye-uas.xml", "udp", fixture.CalleePort, calls: 1, _work);
        await using var phone = await WebSocketPhone.ConnectAsync(fixture.Port(secure), secure, WebSocketNodeFixture.Origin);
        var callId = $"ws-caller-{(secure ? "wss" : "ws")}-{Guid.NewGuid():N}";

        await phone.SendAsync(Request(phone, SipMethod.Invite, "sip:bob@127.0.0.1", callId, 1, toTag: null, Encoding.ASCII.GetBytes(Sdp)));
        SipMessage answer;
        do
        {
            answer = await phone.ReceiveMessageAsync();
        }
        while (answer.StatusCode < 200);

        Assert.Equal(200, answer.StatusCode);
        var nodeContact = Assert.Single(answer.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(secure ? "wss" : "ws", nodeContact.Transport);
        Assert.Equal(fixture.Port(secure), nodeContact.Port);
        await phone.SendAsync(Request(phone, SipMethod.Ack, nodeContact.ToString(), callId, 1, answer.To.Tag));

        // The callee hangs up: the node's BYE reaches the caller at its .invalid Contact only through its connection.
        var bye = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        Assert.EndsWith($"@{phone.SentBy};transport=ws", bye.RequestUri, StringComparison.Ordinal);
        await phone.SendAsync(SipResponses.Simple(bye, 200));

        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var cdr = Assert.Single(await node.WaitForCdrsAsync(callId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Callee, cdr.HungUpBy);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    internal static byte[] Request(WebSocketPhone phone, SipMethod method, string uri, string callId, uint cseq, string? toTag, byte[]? body = null)
    {
        var builder = SipMessageBuilder.Request(method, uri)
            .Add(HeaderId.Via, $"SIP/2.0/{phone.Transport.ToUpperInvariant()} {phone.SentBy};branch=z9hG4bK-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, "<sip:ws-caller@127.0.0.1>;tag=ws-caller")
            .Add(HeaderId.To, toTag is null ? "<sip:bob@127.0.0.1>" : $"<sip:bob@127.0.0.1>;tag={toTag}")
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, $"{cseq} {method.Name()}")
            .Add(HeaderId.Contact, $"<sip:ws-caller@{phone.SentBy};transport=ws>");
        return body is null ? builder.ToArray() : builder.Body(body, "application/sdp").ToArray();
    }
}

/// <summary>
/// Hostile input over WebSocket (issue 22, "Done when"): malformed messages, refused handshakes, an oversized message
/// and a flood of connections from one source are refused, and the edge goes on serving the next client.
/// </summary>
[Collection(WebSocketCollection.Name)]
public sealed class WebSocketHostileInputTests(WebSocketNodeFixture fixture)
{
    [Fact]
    public async Task A_malformed_request_gets_400_garbage_gets_nothing_and_the_connection_goes_on_serving()
    {
        await using var phone = await WebSocketPhone.ConnectAsync(fixture.WsPort, secure: false, WebSocketNodeFixture.Origin);
        var broken = Encoding.ASCII.GetBytes(
            $"INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS {phone.SentBy};branch=z9hG4bK-broken\r\nMax-Forwards: 70\r\n" +
            "From: <sip:a@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: ws-broken\r\nCSeq: not-a-number INVITE\r\n\r\n");

        await phone.SendAsync(broken);
        var (_, bytes) = await phone.ReceiveAsync(); // read as text: the 400 echoes the broken CSeq, so it does not parse
        var rejected = Encoding.ASCII.GetString(bytes);
        Assert.StartsWith("SIP/2.0 400 ", rejected, StringComparison.Ordinal);
        Assert.Contains("Call-ID: ws-broken\r\n", rejected, StringComparison.Ordinal);

        await phone.SendAsync([0x00, 0xFF, 0x13, 0x37, 0x0A], WebSocketMessageType.Binary); // no SIP at all: dropped unanswered
        await phone.SendAsync("INVITE\r\n\r\n"u8.ToArray()); // a start line and nothing else: nothing to answer with
        await AssertServedAsync(phone);
    }

    [Theory]
    [InlineData(null, WebSocketNodeFixture.Origin, HttpStatusCode.BadRequest)]
    [InlineData("chat", WebSocketNodeFixture.Origin, HttpStatusCode.BadRequest)]
    [InlineData("sip", "https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("sip", null, HttpStatusCode.Forbidden)] // with an origin list, a handshake must name one
    public async Task A_handshake_without_the_sip_subprotocol_or_from_another_origin_is_refused(string? subProtocol, string? origin, HttpStatusCode status)
    {
        Assert.Equal(status, await WebSocketPhone.RefusedHandshakeAsync(fixture.WsPort, secure: false, origin, subProtocol));
        Assert.Equal(status, await WebSocketPhone.RefusedHandshakeAsync(fixture.WssPort, secure: true, origin, subProtocol));
    }

    [Fact]
    public async Task An_oversized_message_closes_its_connection_with_1009_and_the_edge_serves_the_next_client()
    {
        await using (var phone = await WebSocketPhone.ConnectAsync(fixture.WssPort, secure: true, WebSocketNodeFixture.Origin))
        {
            var huge = Encoding.ASCII.GetBytes("OPTIONS sip:127.0.0.1 SIP/2.0\r\nX-Padding: " + new string('a', 200_000) + "\r\n\r\n");
            await phone.SendAsync(huge);

            var (type, _) = await phone.ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, phone.CloseStatus);
        }

        await using var next = await WebSocketPhone.ConnectAsync(fixture.WssPort, secure: true, WebSocketNodeFixture.Origin);
        await AssertServedAsync(next);
    }

    [Fact]
    public async Task A_flood_of_connections_from_one_source_is_refused_beyond_the_limit_and_those_within_are_served()
    {
        var held = new List<WebSocketPhone>();
        var refused = 0;
        try
        {
            for (var i = 0; i < 3 * WebSocketNodeFixture.MaxConnectionsPerSource; i++) // bounded: three times the limit
            {
                try
                {
                    held.Add(await WebSocketPhone.ConnectAsync(fixture.WsPort, secure: false, WebSocketNodeFixture.Origin));
                }
                catch (WebSocketException)
                {
                    refused++;
                }
            }

            Assert.Equal(WebSocketNodeFixture.MaxConnectionsPerSource, held.Count);
            Assert.Equal(2 * WebSocketNodeFixture.MaxConnectionsPerSource, refused);
            foreach (var phone in held)
            {
                await AssertServedAsync(phone);
            }

            foreach (var phone in held)
            {
                await phone.CloseAsync();
            }
        }
        finally
        {
            foreach (var phone in held)
            {
                await phone.DisposeAsync();
            }
        }

        // Their places free once the node has seen them go: a new client is served (bounded wait for the node to count them out).
        WebSocketPhone? after = null;
        for (var attempt = 0; attempt < 50 && after is null; attempt++)
        {
            try
            {
                after = await WebSocketPhone.ConnectAsync(fixture.WsPort, secure: false, WebSocketNodeFixture.Origin);
            }
            catch (WebSocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(after);
        await using (after)
        {
            await AssertServedAsync(after);
        }
    }

    // An OPTIONS over the connection gets the edge's 200, and it is the next message: nothing else was answered before it.
    private static async Task AssertServedAsync(WebSocketPhone phone)
    {
        var callId = $"ws-options-{Guid.NewGuid():N}";
        await phone.SendAsync(WebSocketCallTests.Request(phone, SipMethod.Options, "sip:127.0.0.1", callId, 1, toTag: null));
        var answer = await phone.ReceiveMessageAsync();
        Assert.Equal((200, callId), (answer.StatusCode, answer.CallId));
    }
}
