using System.Globalization;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Office hours: the first rule whose days and times hold at the wall-clock time of <see cref="TimeOfDayParameters.TimeZone"/>
/// (daylight saving time included) says where the call goes; on a holiday no rule holds. Otherwise the
/// <see cref="TimeOfDayParameters.Otherwise"/> target, or 480 when there is none.
/// </summary>
/// <remarks>
/// A rule whose <c>from</c> is later than its <c>to</c> runs past midnight and belongs to the day it starts on:
/// <c>{ "days": ["fri"], "from": "22:00", "to": "06:00" }</c> holds from Friday 22:00 to Saturday 06:00.
/// <c>"to": "24:00"</c> is the end of the day. A wall-clock time that a spring-forward skips never comes; one that
/// autumn repeats holds twice.
/// </remarks>
public sealed class TimeOfDayFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "time-of-day";

    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]; // DayOfWeek's order
    private static readonly string[] TimeFormats = [@"hh\:mm", @"h\:mm"];
    private static readonly TimeSpan EndOfDay = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<TimeOfDayParameters>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(parameters.TimeZone ?? throw new InvalidOperationException($"Flow '{Name}' needs a time zone (parameter 'timeZone')."));
        var local = TimeZoneInfo.ConvertTime(call.Time.GetUtcNow(), zone).DateTime;
        var target = IsHoliday(parameters, DateOnly.FromDateTime(local)) ? null : parameters.Rules?.FirstOrDefault(rule => Holds(rule, local))?.Target;
        target ??= parameters.Otherwise;
        return ValueTask.FromResult<FlowAction>(target is null ? FlowAction.Refuse(480) : FlowAction.Ring(new DialTarget(target)));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<TimeOfDayParameters>(parameters);
        var rules = p.Rules ?? [];
        var holidays = p.Holidays ?? [];
        return
        [
            .. ParameterChecks.Unknown(p),
            .. TimeZoneProblems(p.TimeZone),
            .. ParameterChecks.If(rules.Count == 0 && p.Otherwise is null, "rules: at least one rule (or otherwise) is required"),
            .. rules.SelectMany((rule, i) => RuleProblems($"rules[{i}]", rule)),
            .. holidays.SelectMany((day, i) => ParameterChecks.If(ParseDate(day) is null, $"holidays[{i}]: '{day}' is not a date (yyyy-MM-dd)")),
            .. ParameterChecks.Target("otherwise", p.Otherwise, required: false),
        ];
    }

    private static bool IsHoliday(TimeOfDayParameters parameters, DateOnly today)
        => parameters.Holidays?.Any(day => ParseDate(day) == today) ?? false;

    private static bool Holds(TimeRule rule, DateTime local)
    {
        if (ParseTime(rule.From) is not { } from || ParseTime(rule.To) is not { } to)
        {
            return false;
        }

        var now = local.TimeOfDay;
        if (from < to)
        {
            return On(rule, local.DayOfWeek) && now >= from && now < to;
        }

        // Past midnight: the evening part today, or the morning part of a span that began yesterday.
        return (On(rule, local.DayOfWeek) && now >= from) || (On(rule, local.AddDays(-1).DayOfWeek) && now < to);
    }

    private static bool On(TimeRule rule, DayOfWeek day)
        => rule.Days is null || rule.Days.Any(name => string.Equals(name, DayNames[(int)day], StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> TimeZoneProblems(string? id)
    {
        if (id is null)
        {
            return ["timeZone: an IANA time zone (e.g. 'Europe/Berlin') is required"];
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return [];
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return [$"timeZone: '{id}' is not a known time zone"];
        }
    }

    private static IEnumerable<string> RuleProblems(string field, TimeRule? rule)
    {
        if (rule is null)
        {
            return [$"{field}: a rule is required"];
        }

        var from = ParseTime(rule.From);
        var to = ParseTime(rule.To);
        return
        [
            .. ParameterChecks.Unknown(rule, $"{field}."),
            .. ParameterChecks.If(rule.Days is { Count: 0 }, $"{field}.days: empty (leave it out for every day)"),
            .. (rule.Days ?? []).SelectMany((day, i) => ParameterChecks.If(!DayNames.Contains(day, StringComparer.OrdinalIgnoreCase), $"{field}.days[{i}]: '{day}' is not a day (mon, tue, wed, thu, fri, sat, sun)")),
            .. TimeProblems($"{field}.from", rule.From, from, endOfDay: false),
            .. TimeProblems($"{field}.to", rule.To, to, endOfDay: true),
            .. ParameterChecks.If(from is not null && from == to, $"{field}.to: the same as from (for the whole day: from 00:00 to 24:00)"),
            .. ParameterChecks.Target($"{field}.target", rule.Target),
        ];
    }

    private static IEnumerable<string> TimeProblems(string field, string? text, TimeSpan? time, bool endOfDay)
        => text is null
            ? [$"{field}: a time of day (HH:mm) is required"]
            : ParameterChecks.If(time is null || (!endOfDay && time == EndOfDay), $"{field}: '{text}' is not a time of day (HH:mm{(endOfDay ? ", or 24:00" : "")})");

    private static TimeSpan? ParseTime(string? text)
        => text == "24:00" ? EndOfDay
            : TimeSpan.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, out var time) && time < EndOfDay ? time : null;

    private static DateOnly? ParseDate(string? text)
        => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}

/// <summary>The <c>time-of-day</c> flow's parameters.</summary>
public sealed record TimeOfDayParameters : FlowParameterSet
{
    /// <summary>The IANA time zone the rules' times and the holidays are in, e.g. <c>Europe/Berlin</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The rules, in order: the first that holds wins.</summary>
    public IReadOnlyList<TimeRule>? Rules { get; init; }

    /// <summary>Dates (<c>yyyy-MM-dd</c>, in the time zone) on which no rule holds.</summary>
    public IReadOnlyList<string>? Holidays { get; init; }

    /// <summary>Where calls go when no rule holds; absent: they are refused with 480.</summary>
    public string? Otherwise { get; init; }
}

/// <summary>One time-of-day rule: on these days, from this time to that, calls go to the target.</summary>
public sealed record TimeRule : FlowParameterSet
{
    /// <summary>Days as <c>mon</c> … <c>sun</c>; absent: every day.</summary>
    public IReadOnlyList<string>? Days { get; init; }

    /// <summary>The local time (<c>HH:mm</c>) the rule starts holding at.</summary>
    public string? From { get; init; }

    /// <summary>The local time (<c>HH:mm</c>, or <c>24:00</c>) it stops at; earlier than <see cref="From"/>: the next day.</summary>
    public string? To { get; init; }

    /// <summary>Where calls go while the rule holds.</summary>
    public string? Target { get; init; }
}
