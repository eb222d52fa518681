using System.Net;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Security;

/// <summary>
/// The edge's border, in the order a message meets it (docs/security.md):
/// <list type="number">
/// <item>before parsing (<see cref="IPacketScreen"/>): the ACLs, the bans, and, for untrusted sources, a token bucket
/// per source and kind of request; a source over a limit in consecutive flood windows is banned;</item>
/// <item>once parsed, before any transaction (<see cref="IRequestScreen"/>): a scanner's User-Agent bans its source;
/// an untrusted out-of-dialog request without credentials gets its 407, statelessly, within the challenge limit;</item>
/// <item>then the router authenticates credentials with the cluster and reports failures here (<see cref="AuthFailed"/>),
/// which ban a source past <see cref="SecurityOptions.MaxAuthFailures"/>.</item>
/// </list>
/// A ban applies here at once and through <see cref="ClusterBans"/> on every edge. Buckets and windows run on the
/// TimeProvider's timestamps (Stopwatch ticks in production, a fake clock in tests). Thread-safe; nothing here blocks.
/// </summary>
public sealed class BorderGuard : IPacketScreen, IRequestScreen
{
    private readonly SecurityPolicy _policy;
    private readonly BanBook _bans;
    private readonly SecurityLog _log;
    private readonly SecurityMetrics _metrics;
    private readonly CallerAuthentication _callers;
    private readonly TimeProvider _time;
    private readonly SourceTable _sources;
    private readonly long _floodWindowTicks;
    private readonly long _authWindowTicks;
    private readonly string _edgeId;
    private readonly Action<SourceBan>? _published;

    /// <summary>Creates the guard; <paramref name="published"/> is told of each ban it makes, for the rest of the cluster.</summary>
    public BorderGuard(SecurityPolicy policy, BanBook bans, SecurityLog log, SecurityMetrics metrics, CallerAuthentication callers, TimeProvider time, string edgeId, Action<SourceBan>? published = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _bans = bans;
        _log = log;
        _metrics = metrics;
        _callers = callers;
        _time = time;
        _edgeId = edgeId;
        _published = published;
        _sources = new SourceTable(policy.Options.MaxTrackedSources, policy.Options.MaxAuthFailures);
        _floodWindowTicks = Ticks(policy.Options.FloodWindow, time.TimestampFrequency);
        _authWindowTicks = Ticks(policy.Options.AuthFailureWindow, time.TimestampFrequency);
    }

    /// <summary>Sources with counters of their own now.</summary>
    public int TrackedSources => _sources.Count;

    /// <inheritdoc />
    public ScreenVerdict Screen(ReadOnlySpan<byte> message, SipEndPoint source)
    {
        var address = source.Address.Address;
        if (Refused(source.Address, source.Transport.ViaName()) is { } refused)
        {
            return refused;
        }

        if (_policy.IsTrusted(address))
        {
            return ScreenVerdict.Accept;
        }

        var kind = RequestKinds.Of(message);
        return Take(address, source, kind) ? ScreenVerdict.Accept : ScreenVerdict.Drop;
    }

    /// <inheritdoc />
    public ScreenVerdict ScreenConnection(IPEndPoint remote)
    {
        if (Refused(remote, "tcp") is { } refused)
        {
            return refused;
        }

        if (_policy.IsTrusted(remote.Address))
        {
            return ScreenVerdict.Accept;
        }

        var record = _sources.For(remote.Address);
        lock (record)
        {
            if (record.Connections >= _policy.Options.MaxConnectionsPerSource && !record.Shared)
            {
                _metrics.Dropped("connections");
                return ScreenVerdict.Disconnect;
            }

            record.Connections++;
            return ScreenVerdict.Accept;
        }
    }

    /// <inheritdoc />
    public void ConnectionClosed(IPEndPoint remote)
    {
        if (_policy.IsTrusted(remote.Address) || _policy.IsDenied(remote.Address))
        {
            return;
        }

        var record = _sources.For(remote.Address);
        lock (record)
        {
            record.Connections = Math.Max(0, record.Connections - 1);
        }
    }

    /// <inheritdoc />
    public bool Drops(SipMessage request, SipEndPoint source, out byte[]? response)
    {
        response = null;
        if (_policy.IsTrusted(source.Address.Address))
        {
            return false;
        }

        if (_policy.IsScanner(request.GetHeader(HeaderId.UserAgent)))
        {
            _log.Scanner(source.Address, source.Transport.ViaName(), request.MethodName, request.GetHeader(HeaderId.UserAgent)!);
            _metrics.Dropped("scanner");
            Ban(source.Address, "scanner");
            return true;
        }

        if (!CallerAuthentication.Applies(request) || _callers.TryGetCredentials(request, out _))
        {
            return false; // in a dialog, not routed, or with credentials the router checks
        }

        // No credentials: the challenge, statelessly (no transaction, nothing retransmitted), unless this source has had
        // its share of them, so that a stream of INVITEs never turns the edge into an amplifier.
        if (Take(source.Address.Address, source, RequestKind.Challenge))
        {
            response = _callers.Challenge(request);
        }

        return true;
    }

    /// <summary>
    /// A failed digest attempt from <paramref name="source"/> (a wrong password or an unknown user, for any challenged
    /// request): logged, and the source is banned once it has failed more than MaxAuthFailures times in the window.
    /// </summary>
    public void AuthFailed(SipEndPoint source, string? user, string method)
    {
        _log.AuthFailure(source.Address, source.Transport.ViaName(), user, method);
        if (_policy.IsTrusted(source.Address.Address))
        {
            return;
        }

        var record = _sources.For(source.Address.Address);
        int recent;
        lock (record)
        {
            recent = record.NoteAuthFailure(_time.GetTimestamp(), _authWindowTicks);
        }

        if (recent > _policy.Options.MaxAuthFailures && !record.Shared)
        {
            Ban(source.Address, "auth-failure");
        }
    }

    /// <summary>Forgets idle sources: those silent for longer than every window the guard counts in.</summary>
    public void Sweep()
    {
        var idle = Math.Max(_authWindowTicks, _floodWindowTicks * (_policy.Options.FloodWindowsToBan + 1));
        _sources.Sweep(_time.GetTimestamp() - idle);
    }

    // The ACLs and the bans, for every source; null when the source may go on.
    private ScreenVerdict? Refused(IPEndPoint source, string transport)
    {
        if (_policy.IsDenied(source.Address))
        {
            _log.Acl(source, transport);
            _metrics.Dropped("acl");
            return ScreenVerdict.Disconnect;
        }

        if (_bans.IsBanned(source.Address, _time.GetUtcNow()))
        {
            _metrics.Dropped("banned");
            return ScreenVerdict.Disconnect;
        }

        return null;
    }

    // A token from the source's bucket for the kind; a drop counts toward a flood, and a long enough flood bans.
    private bool Take(IPAddress address, SipEndPoint source, RequestKind kind)
    {
        var record = _sources.For(address);
        var now = _time.GetTimestamp();
        bool firstOfWindow;
        int strikes;
        lock (record)
        {
            if (record.TryTake(kind, _policy.Limits[(int)kind], now, _time.TimestampFrequency))
            {
                return true;
            }

            firstOfWindow = record.NoteDrop(now / _floodWindowTicks, out strikes);
        }

        _metrics.Dropped("flood");
        if (firstOfWindow && strikes == 1)
        {
            _log.Flood(source.Address, source.Transport.ViaName(), kind.Name());
        }

        if (firstOfWindow && strikes >= _policy.Options.FloodWindowsToBan && !record.Shared)
        {
            Ban(source.Address, "flood");
        }

        return false;
    }

    private void Ban(IPEndPoint source, string reason)
    {
        var now = _time.GetUtcNow();
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var ban = new SourceBan(address.ToString(), now + _policy.Options.BanTime, reason, _edgeId);
        if (_bans.Add(ban, now))
        {
            _log.Banned(source, reason, _policy.Options.BanTime);
            _published?.Invoke(ban);
        }
    }

    private static long Ticks(TimeSpan span, long frequency) => Math.Max(1, (long)(span.TotalSeconds * frequency));
}
