using System.Net;
using CallControl.Edge.Hosting;
using CallControl.Edge.Security;
using CallControl.Grains;
using CallControl.Sip.Auth;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// The edge's border as the host builds it (<see cref="EdgeSecurity"/> from options) on a fake clock, without sockets:
/// messages go to the guard as the transports and the transaction layer hand them over, and what it did comes out of
/// its security log file, its metrics, its bans and the bans it published for the cluster.
/// </summary>
internal sealed class GuardHarness : IDisposable
{
    public const string EdgeId = "edge-1";
    public static readonly byte[] NonceSecret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private int _requests;

    /// <param name="options">The border's settings; the harness adds its log file when none is set.</param>
    /// <param name="trustedByDefault">The host's default when TrustedNetworks is not set; none unless given.</param>
    public GuardHarness(SecurityOptions? options = null, TrustedByDefault? trustedByDefault = null)
    {
        Options = options ?? new SecurityOptions();
        Options.LogPath ??= Kit.LogPath;
        var digest = MsOptions.Create(new DigestAuthOptions { NonceSecret = NonceSecret });
        Nonces = new NonceService(digest, Time);
        Verifier = new DigestVerifier(Nonces, digest);
        Security = new EdgeSecurity(
            MsOptions.Create(Options), MsOptions.Create(new EdgeOptions { EdgeId = EdgeId }), trustedByDefault ?? TrustedByDefault.None,
            new DigestChallenger(Nonces, digest), Time, Kit.Logger, Kit.MeterFactory);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));

    public SecurityTestKit Kit { get; } = new();

    public SecurityOptions Options { get; }

    public NonceService Nonces { get; }

    public DigestVerifier Verifier { get; }

    public EdgeSecurity Security { get; }

    public BorderGuard Guard => Security.Guard;

    /// <summary>A source over UDP.</summary>
    public static SipEndPoint Udp(string address, int port = 5060) => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), port));

    /// <summary>A source over a TCP connection.</summary>
    public static SipEndPoint Tcp(string address, int port = 40000) => new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Parse(address), port), 7);

    /// <summary>
    /// A request from alice@<paramref name="fromHost"/> to bob, with <paramref name="headers"/> before Content-Length;
    /// a To tag makes it in-dialog. Each has its own branch and Call-ID.
    /// </summary>
    public string Request(string method, string? toTag = null, string fromHost = "example.com", params string[] headers)
    {
        var n = Interlocked.Increment(ref _requests);
        var lines = string.Concat(headers.Select(h => h + "\n"));
        return $"""
            {method} sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK-guard-{n}
            Max-Forwards: 70
            From: <sip:alice@{fromHost}>;tag=a{n}
            To: <sip:bob@example.com>{(toTag is null ? "" : $";tag={toTag}")}
            Call-ID: guard-{n}@192.0.2.7
            CSeq: 1 {method}
            {lines}Content-Length: 0


            """;
    }

    /// <summary>The transports' screen: the bytes of <paramref name="text"/>, before parsing.</summary>
    public ScreenVerdict Screen(string text, SipEndPoint source) => Guard.Screen(TestMessages.Bytes(text), source);

    /// <summary><paramref name="count"/> INVITEs from <paramref name="source"/> through the transports' screen; the verdicts.</summary>
    public ScreenVerdict[] Invites(SipEndPoint source, int count)
        => [.. Enumerable.Range(0, count).Select(_ => Screen(Request("INVITE"), source))];

    /// <summary>The transaction layer's screen: the parsed request; the stateless response it would send, parsed, if any.</summary>
    public bool Drops(string text, SipEndPoint source, out SipMessage? response)
    {
        var dropped = Guard.Drops(TestMessages.Parse(text), source, out var bytes);
        response = bytes is null ? null : SipParser.ParseTrusted(bytes);
        return dropped;
    }

    /// <summary>The bans this edge made that the cluster has not been told of yet (taken: each is seen once).</summary>
    public List<SourceBan> Published() => Security.TakeUnpublished();

    public bool IsBanned(SipEndPoint source) => Security.Bans.IsBanned(source.Address.Address, Time.GetUtcNow());

    public void Dispose()
    {
        Security.Dispose();
        Kit.Dispose();
    }
}
