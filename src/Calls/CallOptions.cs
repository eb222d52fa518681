using Microsoft.Extensions.Options;

namespace CallControl.Calls;

/// <summary>Call timers, parking, and the new-call policy during a store outage, from configuration section <c>CallControl:Calls</c>.</summary>
public sealed class CallOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Calls";

    /// <summary>How long the callee may ring before the caller gets 480 and the callee a CANCEL (default 60 s, a common carrier value).</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest an answered call may last before both legs get a BYE (default 4 h; guards against lost BYEs).</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// How long a confirmed call (answered, ACKed) must go without a message, with nothing in flight, before it lets its
    /// activation go: it is parked, its state in the store and a reminder set for its maximum duration, and its next
    /// message reactivates it (docs/architecture.md, "Parked calls"). <c>0</c> switches parking off.
    /// </summary>
    /// <remarks>
    /// Default 40 s: longer than 64×T1 (32 s with the default T1), the edge's INVITE transactions on both legs (Timer L
    /// for the caller's, RFC 6026; Timer M for the callee's), so that no 2xx or ACK of the answer can still be
    /// retransmitted to a parked call; a call's first message after parking is then a real request (a BYE, mostly),
    /// which costs one state read to reactivate. Shorter works, each late retransmission then costs that read.
    /// </remarks>
    public TimeSpan ParkAfter { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// What a new call gets when the state store refuses its first write (an outage): <see cref="StoreOutagePolicy.Reject"/>
    /// (503 with Retry-After, the default) or <see cref="StoreOutagePolicy.Proceed"/>. Calls that already exist go on either way.
    /// </summary>
    public StoreOutagePolicy StoreOutagePolicy { get; set; } = StoreOutagePolicy.Reject;

    /// <summary>The Retry-After of that 503, in whole seconds on the wire (default 30 s: about a database restart or failover).</summary>
    public TimeSpan StoreOutageRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The session interval asked of both legs (RFC 4028); default 30 minutes. A call whose side stops refreshing, or
    /// stops answering our refreshes, ends then (CDR disposition session-expired) rather than at the maximum duration.
    /// 0 turns session timers off.
    /// </summary>
    public TimeSpan SessionExpires { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The smallest session interval taken (Min-SE; a caller asking less gets 422); default 90 s, RFC 4028's floor.</summary>
    public TimeSpan MinSessionExpires { get; set; } = TimeSpan.FromSeconds(90);
}

/// <summary>New calls while the state store is down.</summary>
public enum StoreOutagePolicy
{
    /// <summary>503 Service Unavailable with Retry-After: the caller (or its proxy) tries again, or elsewhere, later.</summary>
    Reject,

    /// <summary>Ring anyway: the state is written when the store is back, and is lost if this silo dies before.</summary>
    Proceed,
}

/// <summary>Rejects timers that cannot work, naming the key.</summary>
public sealed class CallOptionsValidator : IValidateOptions<CallOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CallOptions options)
    {
        var failures = new List<string>();
        if (options.RingTimeout < TimeSpan.FromSeconds(1) || options.RingTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{CallOptions.Section}:RingTimeout must be between 1 s and 1 h; got {options.RingTimeout}.");
        }

        if (options.MaxDuration < TimeSpan.FromSeconds(1) || options.MaxDuration > TimeSpan.FromDays(7))
        {
            failures.Add($"{CallOptions.Section}:MaxDuration must be between 1 s and 7 days; got {options.MaxDuration}.");
        }

        if (options.ParkAfter != TimeSpan.Zero && (options.ParkAfter < TimeSpan.FromSeconds(1) || options.ParkAfter > TimeSpan.FromHours(1)))
        {
            failures.Add($"{CallOptions.Section}:ParkAfter must be 0 (parking off) or between 1 s and 1 h; got {options.ParkAfter}.");
        }

        if (!Enum.IsDefined(options.StoreOutagePolicy))
        {
            failures.Add($"{CallOptions.Section}:StoreOutagePolicy must be Reject or Proceed; got {options.StoreOutagePolicy}.");
        }

        if (options.StoreOutageRetryAfter < TimeSpan.FromSeconds(1) || options.StoreOutageRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{CallOptions.Section}:StoreOutageRetryAfter must be between 1 s and 1 h; got {options.StoreOutageRetryAfter}.");
        }

        if (options.MinSessionExpires < TimeSpan.FromSeconds(90) || options.MinSessionExpires > TimeSpan.FromHours(2))
        {
            failures.Add($"{CallOptions.Section}:MinSessionExpires must be between 90 s (RFC 4028's floor) and 2 h; got {options.MinSessionExpires}.");
        }

        if (options.SessionExpires != TimeSpan.Zero && (options.SessionExpires < options.MinSessionExpires || options.SessionExpires > TimeSpan.FromDays(1)))
        {
            failures.Add($"{CallOptions.Section}:SessionExpires must be 0 (off) or between MinSessionExpires and 1 day; got {options.SessionExpires}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
