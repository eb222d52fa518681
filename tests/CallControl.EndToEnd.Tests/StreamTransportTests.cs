using System.Diagnostics;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// TLS and TCP connection behaviour against a running node. sipp here has no TLS, so the TLS caller is the
/// project's own stack (StreamPeer: framer, parser, builder) over a real SslStream; the callee is sipp.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class StreamTransportTests(NodesFixture nodes) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-tls-").FullName;

    [Fact]
    public async Task A_tls_caller_reaches_a_udp_callee_and_hangs_up()
    {
        var node = nodes.Node("udp");
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", nodes.CalleePort("udp"), calls: 1, _work);
        await using var caller = await StreamPeer.ConnectAsync(node.TlsPort, tls: true);
        Assert.Contains("127.0.0.1", caller.ServerCertificate!.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false), StringComparison.Ordinal);
        var callId = $"tls-{Guid.NewGuid():N}@127.0.0.1";
        var contact = $"sip:tls-caller@127.0.0.1:{caller.LocalPort};transport=tls";
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"u8.ToArray();

        await caller.SendAsync(Request(SipMethod.Invite, $"sip:1000@127.0.0.1:{node.TlsPort};transport=tls", callId, 1, toTag: null, contact, caller.LocalPort, sdp));
        Assert.Equal(100, (await caller.ReceiveMessageAsync()).StatusCode);
        var ringing = await caller.ReceiveMessageAsync();
        Assert.Equal(180, ringing.StatusCode);
        var ok = await caller.ReceiveMessageAsync();
        Assert.Equal(200, ok.StatusCode);
        var nodeContact = Assert.Single(ok.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal("tls", nodeContact.Transport);
        Assert.Equal(node.TlsPort, nodeContact.Port);
        Assert.True(ok.HasBody);

        await caller.SendAsync(Request(SipMethod.Ack, nodeContact.ToString(), callId, 1, ok.To.Tag, contact, caller.LocalPort));
        await caller.SendAsync(Request(SipMethod.Bye, nodeContact.ToString(), callId, 2, ok.To.Tag, contact, caller.LocalPort));
        var byeOk = await caller.ReceiveMessageAsync();
        Assert.Equal(200, byeOk.StatusCode);
        Assert.Equal(SipMethod.Bye, byeOk.CSeq.Method);

        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var cdr = Assert.Single(node.CdrsFor(callId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static byte[] Request(SipMethod method, string uri, string callId, uint cseq, string? toTag, string contact, int localPort, byte[]? body = null)
        => PhoneRequests.Build(method, uri, "TLS", localPort, "tls-caller", callId, cseq, toTag, contact).Body(body ?? [], "application/sdp").ToArray();
}

/// <summary>Keep-alives and idle timeouts on the torture node (IdleTimeout 2 s).</summary>
public sealed class StreamKeepAliveTests(TortureNodeFixture fixture) : IClassFixture<TortureNodeFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_crlf_ping_gets_a_pong_and_a_silent_connection_is_closed_at_the_idle_timeout(bool tls)
    {
        await using var peer = await StreamPeer.ConnectAsync(tls ? fixture.Node.TlsPort : fixture.Node.SipPort, tls);

        // The node hears the ping after we send it, so its idle clock starts no earlier than this stopwatch:
        // a close sooner than the timeout after the send is a real early close, however slow the pong was to reach us.
        var silent = Stopwatch.StartNew();
        await peer.SendAsync(Encoding.ASCII.GetBytes("\r\n\r\n"));
        Assert.Equal(FrameStatus.Pong, (await peer.ReceiveAsync()).Status);

        await peer.WaitForCloseAsync(TimeSpan.FromSeconds(15));
        Assert.True(silent.Elapsed >= TimeSpan.FromSeconds(1.95), $"closed {silent.Elapsed} after the ping, before the 2 s idle timeout");
    }
}
