namespace CallControl.Edge.Security;

/// <summary>
/// The edge's border, from configuration section <c>CallControl:Security</c> (docs/security.md): who may call without
/// a challenge, which networks may send at all, scanners, brute force, per-source rate limits and bans. Lists bind
/// from configuration by index (<c>CallControl__Security__TrustedNetworks__0=10.0.0.0/8</c>); a list left unset takes
/// its default, and a list set to one empty item (<c>...__0=</c>) is empty.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Security";

    /// <summary>The scanners' User-Agents matched by default (case-insensitive substrings).</summary>
    public static readonly IReadOnlyList<string> DefaultScannerUserAgents =
        ["friendly-scanner", "sipvicious", "sipcli", "VaxSIPUserAgent", "iWar", "sundayddr", "pplsip", "SIVuS"];

    /// <summary>
    /// Networks (CIDR, IPv4 or IPv6) whose requests are routed without a challenge, whose identity headers pass as
    /// they are, and which are never rate-limited or banned automatically: carriers, peers, the local test tools.
    /// Default: 127.0.0.0/8 on the embedded default (so the README's sipp lines keep working), none on a standalone edge.
    /// </summary>
    public IList<string>? TrustedNetworks { get; set; }

    /// <summary>Networks that may send anything at all; empty (the default): every network. Others are dropped unparsed.</summary>
    public IList<string> AllowedNetworks { get; init; } = [];

    /// <summary>Networks whose packets are dropped unparsed and counted (event <c>acl</c>); default none.</summary>
    public IList<string> DeniedNetworks { get; init; } = [];

    /// <summary>User-Agent substrings (case-insensitive) of scanners: such a request gets no response and bans its source. Default <see cref="DefaultScannerUserAgents"/>.</summary>
    public IList<string>? ScannerUserAgents { get; set; }

    /// <summary>Failed digest attempts from one source within <see cref="AuthFailureWindow"/> beyond which it is banned; default 5.</summary>
    public int MaxAuthFailures { get; set; } = 5;

    /// <summary>The window in which <see cref="MaxAuthFailures"/> are counted; default 5 minutes.</summary>
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a ban the edge makes lasts; default 10 minutes.</summary>
    public TimeSpan BanTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Per-source token buckets of untrusted sources, by kind of request: <c>INVITE</c>, <c>REGISTER</c>, <c>OPTIONS</c>,
    /// <c>Other</c> (every other request and every response) and <c>Challenge</c> (the 407s the edge sends). Excess is
    /// dropped without a response. Defaults in <see cref="RateLimit.Defaults"/>, justified in docs/security.md.
    /// </summary>
    public Dictionary<string, RateLimit> RateLimits { get; init; } = RateLimit.Defaults();

    /// <summary>The length of a flood window: a source over a limit in <see cref="FloodWindowsToBan"/> consecutive windows is banned (as Kamailio's pike); default 1 s.</summary>
    public TimeSpan FloodWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive windows with dropped requests that ban a source; default 3.</summary>
    public int FloodWindowsToBan { get; set; } = 3;

    /// <summary>TCP and TLS connections one untrusted source may hold open at once; default 64 (an office behind one NAT).</summary>
    public int MaxConnectionsPerSource { get; set; } = 64;

    /// <summary>
    /// Sources the edge keeps counters for; default 100,000. Beyond that (a spoofed flood from random addresses) new
    /// sources share one set of buckets, so memory stays bounded and the flood is still throttled.
    /// </summary>
    public int MaxTrackedSources { get; set; } = 100_000;

    /// <summary>The realm of the edge's 407 challenges; default none: the From header's host, as Kamailio's <c>proxy_authorize("$fd")</c>.</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// The file the security log is written to as well as the process log (one line per event, for fail2ban: contrib/fail2ban);
    /// default none.
    /// </summary>
    public string? LogPath { get; set; }

    /// <summary>How often each edge asks the cluster for bans other edges or the CLI made; default 500 ms (a ban applies everywhere within 1 s).</summary>
    public TimeSpan BanSyncInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The rate limit of a kind of request (its name in any case, as the validator takes it), defaults applied.</summary>
    public RateLimit LimitFor(string kind)
    {
        if (RateLimits.TryGetValue(kind, out var limit))
        {
            return limit;
        }

        // A dictionary set in code may compare names exactly (configuration binds into the case-insensitive default).
        foreach (var (name, configured) in RateLimits)
        {
            if (string.Equals(name, kind, StringComparison.OrdinalIgnoreCase))
            {
                return configured;
            }
        }

        return RateLimit.Defaults()[kind];
    }
}

/// <summary>A token bucket: <see cref="PerSecond"/> tokens a second, at most <see cref="Burst"/> saved; 0 per second is no limit.</summary>
public sealed class RateLimit
{
    /// <summary>The kinds of request limited separately.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["INVITE", "REGISTER", "OPTIONS", "Other", "Challenge"];

    /// <summary>Tokens added per second; 0: unlimited.</summary>
    public double PerSecond { get; set; }

    /// <summary>The most tokens saved up: a burst this large passes at once.</summary>
    public int Burst { get; set; }

    /// <summary>
    /// The defaults (docs/security.md, "Rate limits"): a phone places a call every few seconds at most and a PBX behind
    /// one address a few a second; a registering office refreshes far below its limit, and its burst covers every phone
    /// rebooting at once; OPTIONS pings come every 30 s or so; "Other" carries the in-dialog requests and responses of
    /// every call from that source, so it is wide; challenges follow INVITEs one for one.
    /// </summary>
    public static Dictionary<string, RateLimit> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["INVITE"] = new() { PerSecond = 10, Burst = 20 },
        ["REGISTER"] = new() { PerSecond = 10, Burst = 40 },
        ["OPTIONS"] = new() { PerSecond = 5, Burst = 10 },
        ["Other"] = new() { PerSecond = 100, Burst = 200 },
        ["Challenge"] = new() { PerSecond = 10, Burst = 20 },
    };
}
