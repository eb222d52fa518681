using System.Globalization;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Call forwarding: always, or when the user's own phone is busy or does not answer. The forwarded leg carries a
/// <c>Diversion</c> header (RFC 5806) naming the user and why; a call that has already been diverted
/// <see cref="ForwardParameters.MaxHops"/> times, by its <c>Diversion</c> or <c>History-Info</c> (RFC 7044), is
/// refused with 483, so two users forwarding to each other do not loop.
/// </summary>
/// <remarks>
/// "noAnswer" also forwards a phone that cannot be reached (not registered, no response): RFC 5806's reason
/// <c>unavailable</c>. A refusal by the phone (a 603 Decline, say) is its user's answer and goes back to the caller.
/// </remarks>
public sealed class ForwardFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "forward";

    /// <summary>Forward every call without ringing the user.</summary>
    public const string Always = "always";

    /// <summary>Ring the user; forward when busy.</summary>
    public const string Busy = "busy";

    /// <summary>Ring the user; forward when there is no answer within the ring time (or the phone cannot be reached).</summary>
    public const string NoAnswer = "noAnswer";

    /// <summary>Ring the user; forward when busy or when there is no answer.</summary>
    public const string BusyOrNoAnswer = "busyOrNoAnswer";

    private static readonly string[] Modes = [Always, Busy, NoAnswer, BusyOrNoAnswer];

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<ForwardParameters>();
        var hops = Hops(call.Call);
        if (hops >= parameters.MaxHops)
        {
            return ValueTask.FromResult<FlowAction>(FlowAction.Refuse(483, "Too Many Hops"));
        }

        if (parameters.Mode == Always)
        {
            return ValueTask.FromResult(Forward(call, parameters, hops, "unconditional"));
        }

        var original = parameters.Original ?? throw new InvalidOperationException($"Flow '{Name}' in mode '{parameters.Mode}' needs the original phone (parameter 'original').");
        return ValueTask.FromResult<FlowAction>(FlowAction.Ring(new DialTarget(original), TimeSpan.FromSeconds(parameters.RingSeconds)));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
    {
        if (call.State<ForwardState>().Forwarded)
        {
            return ValueTask.FromResult<FlowAction>(FlowAction.Fail); // the forward target's own answer
        }

        var parameters = call.Parameters<ForwardParameters>();
        var onBusy = parameters.Mode is Busy or BusyOrNoAnswer;
        var onNoAnswer = parameters.Mode is NoAnswer or BusyOrNoAnswer;
        var reason = outcome.Result switch
        {
            DialResult.Busy when onBusy => "user-busy",
            DialResult.NoAnswer when onNoAnswer => "no-answer",
            DialResult.Unreachable when onNoAnswer => "unavailable",
            _ => null,
        };
        return ValueTask.FromResult(reason is null ? FlowAction.Fail : Forward(call, parameters, Hops(call.Call), reason));
    }

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<ForwardParameters>(parameters);
        return
        [
            .. ParameterChecks.Unknown(p),
            .. ParameterChecks.Target("target", p.Target),
            .. ParameterChecks.OneOf("mode", p.Mode, Modes),
            .. ParameterChecks.Target("original", p.Original, required: p.Mode is Busy or NoAnswer or BusyOrNoAnswer),
            .. ParameterChecks.RingSeconds("ringSeconds", p.RingSeconds),
            .. ParameterChecks.Range("maxHops", p.MaxHops, 1, 70),
        ];
    }

    /// <summary>
    /// How many times the call has been diverted already: the sum of the <c>counter</c>s of its Diversion entries
    /// (1 where absent), or the entries of its History-Info after the first (the original request), whichever is more.
    /// </summary>
    private static int Hops(CallFacts call)
    {
        var diversions = Entries(call.Header("Diversion")).Sum(Counter);
        var retargets = Math.Max(0, Entries(call.Header("History-Info")).Count - 1);
        return (int)Math.Min(int.MaxValue, Math.Max(diversions, retargets));

        static long Counter(string entry)
            => NameAddress.TryParse(entry, out var address) && address.Parameters["counter"] is { } text
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var counter) && counter > 0 ? counter : 1;
    }

    private static FlowAction Forward(CallFlowContext call, ForwardParameters parameters, int hops, string reason)
    {
        call.State<ForwardState>().Forwarded = true;
        var target = parameters.Target ?? throw new InvalidOperationException($"Flow '{Name}' needs a target (parameter 'target').");
        var diverting = parameters.Original ?? call.Call.Dialled;
        var diversion = string.Create(CultureInfo.InvariantCulture, $"<{diverting}>;reason={reason};counter={hops + 1}");

        // One entry whose counter is every diversion so far: what a next hop counts, whether it adds counters up
        // (RFC 5806 §4) or reads the first only. A target's own header replaces the caller's of that name (LegMessages), so
        // the caller's Diversion, which the header policy lets cross by default, is not repeated beside it.
        return FlowAction.Ring(new DialTarget(target) { Headers = new Dictionary<string, string> { ["Diversion"] = diversion } });
    }

    /// <summary>The entries of a list header's value, split at commas outside quotes and angle brackets.</summary>
    private static List<string> Entries(string? value)
    {
        var entries = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return entries;
        }

        var (start, inQuotes, inAngle) = (0, false, false);
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\' when inQuotes:
                    i++;
                    break;
                case '"' when !inAngle:
                    inQuotes = !inQuotes;
                    break;
                case '<' when !inQuotes:
                    inAngle = true;
                    break;
                case '>' when !inQuotes:
                    inAngle = false;
                    break;
                case ',' when !inQuotes && !inAngle:
                    Add(value[start..i]);
                    start = i + 1;
                    break;
                default:
                    break;
            }
        }

        Add(value[start..]);
        return entries;

        void Add(string entry)
        {
            if (!string.IsNullOrWhiteSpace(entry))
            {
                entries.Add(entry.Trim());
            }
        }
    }
}

/// <summary>The <c>forward</c> flow's parameters.</summary>
public sealed record ForwardParameters : FlowParameterSet
{
    /// <summary>Where calls are forwarded to (a SIP URI): voicemail, a mobile.</summary>
    public string? Target { get; init; }

    /// <summary>When: <c>always</c>, <c>busy</c>, <c>noAnswer</c> or <c>busyOrNoAnswer</c>.</summary>
    public string Mode { get; init; } = ForwardFlow.Always;

    /// <summary>The user's own phone, rung first in the conditional modes (and named in Diversion; else the dialled URI).</summary>
    public string? Original { get; init; }

    /// <summary>How long the original rings before a no-answer forward.</summary>
    public int RingSeconds { get; init; } = 20;

    /// <summary>Diversions the call may already have had; at this many it is refused with 483.</summary>
    public int MaxHops { get; init; } = 5;
}

/// <summary>Whether the forward has been dialled.</summary>
[GenerateSerializer, Alias("cc.flow.forward-state")]
public sealed class ForwardState
{
    /// <summary>The forward target has been dialled: its failure is the call's.</summary>
    [Id(0)] public bool Forwarded { get; set; }
}
