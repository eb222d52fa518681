using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Sip.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Security;

/// <summary>
/// The edge's border as one service: the policy, the bans, the security log and metrics, the caller authentication
/// and the <see cref="BorderGuard"/> built from them, and the bans it made that the cluster has not heard of yet
/// (<see cref="ClusterBans"/> tells it).
/// </summary>
public sealed class EdgeSecurity : IDisposable
{
    private readonly ConcurrentQueue<SourceBan> _unpublished = new();
    private readonly SemaphoreSlim _banned = new(0);

    /// <summary>Created by the host.</summary>
    public EdgeSecurity(IOptions<SecurityOptions> options, IOptions<EdgeOptions> edge, TrustedByDefault trustedByDefault, DigestChallenger challenger, TimeProvider time, ILoggerFactory loggers, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(trustedByDefault);
        ArgumentNullException.ThrowIfNull(loggers);
        Policy = new SecurityPolicy(options.Value, trustedByDefault.Networks);
        Time = time;
        Bans = new BanBook();
        Metrics = new SecurityMetrics(meters, () => Bans.Live(time.GetUtcNow()));
        Log = new SecurityLog(options.Value.LogPath, loggers.CreateLogger("CallControl.Security"), Metrics, time);
        Callers = new CallerAuthentication(challenger, options.Value.Realm);
        Guard = new BorderGuard(Policy, Bans, Log, Metrics, Callers, time, edge.Value.EdgeId ?? EdgeOptions.DefaultEdgeId, Publish);
    }

    /// <summary>The options, parsed.</summary>
    public SecurityPolicy Policy { get; }

    /// <summary>The bans this edge enforces.</summary>
    public BanBook Bans { get; }

    /// <summary>The security log.</summary>
    public SecurityLog Log { get; }

    /// <summary>The border's metrics.</summary>
    public SecurityMetrics Metrics { get; }

    /// <summary>Challenges and credentials of callers.</summary>
    public CallerAuthentication Callers { get; }

    /// <summary>The screens the transports and the transaction layer call.</summary>
    public BorderGuard Guard { get; }

    /// <summary>The clock bans are judged by.</summary>
    public TimeProvider Time { get; }

    /// <summary>Takes the bans made here that the cluster has not acknowledged yet, oldest first.</summary>
    internal List<SourceBan> TakeUnpublished()
    {
        var taken = new List<SourceBan>();
        while (_unpublished.TryDequeue(out var ban))
        {
            taken.Add(ban);
        }

        return taken;
    }

    /// <summary>The bans made here waiting to be told to the cluster.</summary>
    internal IEnumerable<SourceBan> Unpublished => _unpublished;

    /// <summary>Puts back bans the cluster could not take, to be told again next time.</summary>
    internal void Requeue(IEnumerable<SourceBan> bans)
    {
        foreach (var ban in bans)
        {
            _unpublished.Enqueue(ban);
        }
    }

    /// <summary>Completes when a ban was made here since the last call (or after <paramref name="timeout"/>).</summary>
    internal Task<bool> WaitForBanAsync(TimeSpan timeout, CancellationToken cancellationToken) => _banned.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Log.Dispose();
        _banned.Dispose();
    }

    private void Publish(SourceBan ban)
    {
        _unpublished.Enqueue(ban);
        _banned.Release();
    }
}

/// <summary>The trusted networks that apply when <c>CallControl:Security:TrustedNetworks</c> is not configured: loopback on the embedded default, none elsewhere.</summary>
/// <param name="Networks">The networks (CIDR).</param>
public sealed record TrustedByDefault(IReadOnlyList<string> Networks)
{
    /// <summary>The embedded default's: loopback, 127.0.0.0/8 and ::1 (the same host over IPv6), so the README's sipp
    /// lines work as they are on either.</summary>
    public static TrustedByDefault Loopback { get; } = new(["127.0.0.0/8", "::1/128"]);

    /// <summary>A standalone edge's: none.</summary>
    public static TrustedByDefault None { get; } = new([]);
}
