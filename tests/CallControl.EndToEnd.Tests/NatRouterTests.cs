using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The NAT harness on its own (no CallControl feature): a peer in the phone's namespace and sockets in the host show
/// that the router translates the phone's source, translates replies back, and forgets a binding when its conntrack
/// entry expires or is flushed.
/// </summary>
public sealed class NatRouterTests
{
    private const int PhonePort = 5060; // outside NatRouter.PublicPorts: a translated port always differs
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan NotArriving = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_phone_datagram_arrives_from_the_routers_public_address_and_a_reply_to_it_reaches_the_phone()
    {
        await using var nat = await NatRouter.CreateAsync();
        using var host = BindUdp(nat.HostAddress);
        await using var phone = await NatPeer.StartAsync(nat, "udp", PhonePort, (IPEndPoint)host.LocalEndPoint!);

        await phone.SendAsync("hello");
        var (text, from) = await ReceiveAsync(host);

        Assert.Equal("hello", text);
        AssertTranslated(nat, from);
        Assert.Equal(from, (await nat.BindingAsync("udp", PhonePort))?.PublicEndpoint);

        await host.SendToAsync("hi"u8.ToArray(), from);
        Assert.Equal(host.LocalEndPoint, await phone.ReceiveAsync("hi"));
    }

    [Fact]
    public async Task A_phone_tcp_connection_arrives_from_the_routers_public_address_and_carries_both_ways()
    {
        await using var nat = await NatRouter.CreateAsync();
        var listener = new TcpListener(nat.HostAddress, 0);
        listener.Start();
        try
        {
            await using var phone = await NatPeer.StartAsync(nat, "tcp", PhonePort, (IPEndPoint)listener.LocalEndpoint);
            using var cancel = new CancellationTokenSource(Wait);
            using var accepted = await listener.AcceptTcpClientAsync(cancel.Token);
            var from = (IPEndPoint)accepted.Client.RemoteEndPoint!;
            AssertTranslated(nat, from);
            Assert.Equal(from, (await nat.BindingAsync("tcp", PhonePort))?.PublicEndpoint);

            using var reader = new StreamReader(accepted.GetStream(), Encoding.ASCII);
            await phone.SendAsync("hello");
            Assert.Equal("hello", await reader.ReadLineAsync(cancel.Token));

            await accepted.GetStream().WriteAsync("hi\n"u8.ToArray(), cancel.Token);
            Assert.Equal(listener.LocalEndpoint, await phone.ReceiveAsync("hi"));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task After_the_phone_stays_silent_past_the_udp_timeout_the_old_binding_no_longer_reaches_it()
    {
        await using var nat = await NatRouter.CreateAsync();
        var hostTimeout = HostUdpTimeout();
        await nat.SetUdpTimeoutAsync(TimeSpan.FromSeconds(3));
        Assert.Equal("3", await nat.RouterSysctlAsync("net/netfilter/nf_conntrack_udp_timeout"));
        Assert.Equal("3", await nat.RouterSysctlAsync("net/netfilter/nf_conntrack_udp_timeout_stream"));
        Assert.Equal(hostTimeout, HostUdpTimeout()); // per namespace: the host's own stays as it was

        using var host = BindUdp(nat.HostAddress);
        await using var phone = await NatPeer.StartAsync(nat, "udp", PhonePort, (IPEndPoint)host.LocalEndPoint!);
        await phone.SendAsync("hello");
        var (_, binding) = await ReceiveAsync(host);
        await host.SendToAsync("while-bound"u8.ToArray(), binding);
        await phone.ReceiveAsync("while-bound");

        var silence = Stopwatch.StartNew();
        await nat.WaitForBindingGoneAsync("udp", PhonePort, TimeSpan.FromSeconds(20));
        Assert.True(silence.Elapsed > TimeSpan.FromSeconds(2), $"the binding went after {silence.Elapsed}, before its timeout");

        await host.SendToAsync("after-expiry"u8.ToArray(), binding);
        Assert.False(await phone.ReceivesAsync("after-expiry", NotArriving), "a datagram to an expired binding reached the phone");

        // The phone speaking again makes a new binding, which works.
        await phone.SendAsync("again");
        var (_, renewed) = await ReceiveAsync(host);
        AssertTranslated(nat, renewed);
        await host.SendToAsync("renewed"u8.ToArray(), renewed);
        await phone.ReceiveAsync("renewed");
    }

    [Fact]
    public async Task A_flush_drops_the_binding_at_once()
    {
        await using var nat = await NatRouter.CreateAsync();
        using var host = BindUdp(nat.HostAddress);
        await using var phone = await NatPeer.StartAsync(nat, "udp", PhonePort, (IPEndPoint)host.LocalEndPoint!);
        await phone.SendAsync("hello");
        var (_, binding) = await ReceiveAsync(host);
        Assert.NotNull(await nat.BindingAsync("udp", PhonePort));

        await nat.FlushConntrackAsync();

        Assert.Null(await nat.BindingAsync("udp", PhonePort));
        await host.SendToAsync("after-flush"u8.ToArray(), binding);
        Assert.False(await phone.ReceivesAsync("after-flush", NotArriving), "a datagram to a flushed binding reached the phone");
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_sipp_call_from_the_phone_to_a_sipp_callee_on_the_host_completes_through_the_nat(string transport)
    {
        await using var nat = await NatRouter.CreateAsync();
        var work = Directory.CreateTempSubdirectory("callcontrol-nat-sipp-").FullName;
        try
        {
            var port = FreePorts.Next();
            string[] common = ["-t", transport == "tcp" ? "t1" : "u1", "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err"];
            await using var callee = ChildProcess.Start(
                "sipp", ["-sn", "uas", "-i", nat.HostAddress.ToString(), "-p", port.ToString(CultureInfo.InvariantCulture), "-mp", FreePorts.Block(4).ToString(CultureInfo.InvariantCulture), .. common], work);
            await Sipp.WaitUntilBoundAsync(port, transport, callee);

            await using var caller = nat.RunInPhone(
                "sipp", ["-sn", "uac", $"{nat.HostAddress}:{port}", "-i", nat.PhoneAddress.ToString(), "-p", PhonePort.ToString(CultureInfo.InvariantCulture), .. common], work);

            // The caller's success needs both ways (180, 200 and the BYE's 200 come back through the NAT). Not the
            // callee's exit: over TCP, its closing pause sees the caller's connection close and counts a failed call.
            Assert.True(await caller.WaitForExitAsync(TimeSpan.FromSeconds(45)) == 0, caller.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertTranslated(NatRouter nat, IPEndPoint from)
    {
        Assert.Equal(nat.RouterPublicAddress, from.Address);
        Assert.InRange(from.Port, NatRouter.PublicPorts.First, NatRouter.PublicPorts.Last);
    }

    private static Socket BindUdp(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static async Task<(string Text, IPEndPoint From)> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[2048];
        using var cancel = new CancellationTokenSource(Wait);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
        return (Encoding.UTF8.GetString(buffer, 0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint);
    }

    private static string? HostUdpTimeout()
    {
        const string path = "/proc/sys/net/netfilter/nf_conntrack_udp_timeout";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
