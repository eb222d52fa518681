namespace CallControl.Grains.Flows;

/// <summary>
/// What a call flow tells the dialog grain to do next. The grain carries it out in SIP (legs, transactions,
/// timers, CANCELs, the CDR) and tells the flow how it ended. Build them with the static methods.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.flow-action")]
public abstract record FlowAction
{
    /// <summary>Rings <paramref name="targets"/> all at once: the first to answer wins, the others get CANCEL.</summary>
    public static Dial Parallel(TimeSpan? ringTimeout, params DialTarget[] targets) => new(targets, DialMode.Parallel, ringTimeout);

    /// <summary>Rings <paramref name="targets"/> one after another, each for <paramref name="ringTimeout"/>, until one answers.</summary>
    public static Dial Sequential(TimeSpan? ringTimeout, params DialTarget[] targets) => new(targets, DialMode.Sequential, ringTimeout);

    /// <summary>Rings one target.</summary>
    public static Dial Ring(DialTarget target, TimeSpan? ringTimeout = null) => new([target], DialMode.Parallel, ringTimeout);

    /// <summary>Refuses the call with a final status (4xx–6xx).</summary>
    public static Reject Refuse(int status, string? reason = null) => new(status, reason);

    /// <summary>Answers the caller with 302 and these contacts: the caller's side dials them (RFC 3261 §8.1.3.4).</summary>
    public static Redirect RedirectTo(params string[] contacts) => new(contacts);

    /// <summary>Gives up: the caller gets the best final response the call's legs got (480 when there was none).</summary>
    public static GiveUp Fail { get; } = new();
}

/// <summary>How a <see cref="Dial"/>'s targets ring.</summary>
public enum DialMode : byte
{
    /// <summary>All at once; first answer wins.</summary>
    Parallel,

    /// <summary>One after another, each for the ring timeout; the next on any failure.</summary>
    Sequential,
}

/// <summary>Ring targets. When none answers, the flow's <see cref="ICallFlow.OnDialFailedAsync"/> decides what follows.</summary>
/// <param name="Targets">Where to ring (at least one).</param>
/// <param name="Mode">All at once, or one after another.</param>
/// <param name="RingTimeout">How long each ring lasts (for parallel: the whole group) before it counts as no answer; null: the call's ring timeout only.</param>
[GenerateSerializer, Immutable, Alias("cc.flow-dial")]
public sealed record Dial([property: Id(0)] IReadOnlyList<DialTarget> Targets, [property: Id(1)] DialMode Mode, [property: Id(2)] TimeSpan? RingTimeout) : FlowAction
{
    /// <summary>The longest the call may last once answered (a prepaid balance, say); null: the node's maximum duration.</summary>
    [Id(3)] public TimeSpan? MaxDuration { get; init; }
}

/// <summary>Refuse the call with <paramref name="Status"/>.</summary>
[GenerateSerializer, Immutable, Alias("cc.flow-reject")]
public sealed record Reject([property: Id(0)] int Status, [property: Id(1)] string? Reason) : FlowAction;

/// <summary>Redirect the caller (302) to <paramref name="Contacts"/>.</summary>
[GenerateSerializer, Immutable, Alias("cc.flow-redirect")]
public sealed record Redirect([property: Id(0)] IReadOnlyList<string> Contacts) : FlowAction;

/// <summary>Relay the best final response the legs got.</summary>
[GenerateSerializer, Immutable, Alias("cc.flow-giveup")]
public sealed record GiveUp : FlowAction;
