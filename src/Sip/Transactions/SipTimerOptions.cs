using Microsoft.Extensions.Options;

namespace CallControl.Sip.Transactions;

/// <summary>
/// The base timer values of RFC 3261 §17.1.1.1 and Table 4, from which timers A–K (and RFC 6026's L and M)
/// derive. Bound from configuration section <c>CallControl:Sip:Timers</c>.
/// </summary>
public sealed class SipTimerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Sip:Timers";

    /// <summary>RTT estimate; default 500 ms (RFC 3261 §17.1.1.1). Timers A, E, G start here; B, F, H, J, L, M are 64×T1.</summary>
    public TimeSpan T1 { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses; default 4 s.</summary>
    public TimeSpan T2 { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum time a message remains in the network; default 5 s (timers I and K).</summary>
    public TimeSpan T4 { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D over unreliable transports: at least 32 s (RFC 3261 Table 4).</summary>
    public TimeSpan TimerD { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>Send 100 Trying as soon as an INVITE creates a server transaction (RFC 3261 §17.2.1 allows up to 200 ms).</summary>
    public bool SendTryingImmediately { get; set; } = true;

    /// <summary>64×T1: timers B, F, H, J, L and M.</summary>
    public TimeSpan SixtyFourT1 => T1 * 64;
}

/// <summary>
/// Rejects timer values that would break the state machines or make a transaction last for ever, naming the key. The
/// upper bounds are far past any real network (RFC 3261 §17.1.1.1 lets T1 grow for slow links, never to minutes).
/// </summary>
public sealed class SipTimerOptionsValidator : IValidateOptions<SipTimerOptions>
{
    private static readonly TimeSpan LongestT1 = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LongestT2OrT4 = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestTimerD = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SipTimerOptions options)
    {
        const string s = SipTimerOptions.Section;
        var failures = new List<string>();
        if (options.T1 <= TimeSpan.Zero || options.T1 > LongestT1)
        {
            failures.Add($"{s}:T1 must be more than 0 and at most 10 s (RFC 3261 default 500 ms); got {options.T1}.");
        }

        if (options.T2 < options.T1 || options.T2 > LongestT2OrT4)
        {
            failures.Add($"{s}:T2 must be at least T1 ({options.T1}) and at most 1 min (RFC 3261 default 4 s); got {options.T2}.");
        }

        if (options.T4 <= TimeSpan.Zero || options.T4 > LongestT2OrT4)
        {
            failures.Add($"{s}:T4 must be more than 0 and at most 1 min (RFC 3261 default 5 s); got {options.T4}.");
        }

        if (options.TimerD < TimeSpan.Zero || options.TimerD > LongestTimerD)
        {
            failures.Add($"{s}:TimerD must be between 0 and 5 min (RFC 3261: at least 32 s over UDP); got {options.TimerD}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
