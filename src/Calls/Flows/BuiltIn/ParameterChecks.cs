using System.Text.Json;
using System.Text.Json.Serialization;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// A built-in flow's parameters, or a part of them (a time-of-day rule). JSON members that no property takes are
/// kept here rather than dropped, so validation names a misspelt field instead of quietly using its default.
/// </summary>
public abstract record FlowParameterSet
{
    /// <summary>Members of the JSON that are not parameters of the flow (usually a typo); validation reports each.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>What the built-in flows' <c>ValidateParameters</c> share: parsing as flows read, and each check as "field: what is wrong".</summary>
internal static class ParameterChecks
{
    /// <summary>The longest ring a flow's parameters may ask for: more is a mistake (milliseconds, say).</summary>
    public const int MaxRingSeconds = 3600;

    /// <summary>
    /// The parameters as <see cref="CallFlowContext.Parameters{T}"/> reads them (absent: all defaults). JSON that does
    /// not parse throws <see cref="JsonException"/>, which the registry reports.
    /// </summary>
    public static T Parse<T>(string? json)
        where T : class
        => CallFlowContext.ParseParameters<T>(string.IsNullOrWhiteSpace(json) ? "{}" : json)
            ?? throw new JsonException("The flow parameters are null.");

    /// <summary>A problem for each JSON member that is not a parameter; <paramref name="path"/> prefixes nested ones ("rules[0].").</summary>
    public static IEnumerable<string> Unknown(FlowParameterSet parameters, string path = "")
        => parameters.Unknown is { Count: > 0 } unknown ? unknown.Keys.Select(name => $"{path}{name}: not a parameter of this flow") : [];

    /// <summary>A SIP or SIPS URI with a host, as a dial target must be.</summary>
    public static bool IsSipUri(string? value) => value is not null && SipUri.TryParse(value, out var uri) && uri.IsSip && uri.Host.Length > 0;

    /// <summary>One target: present when <paramref name="required"/>, and a SIP URI.</summary>
    public static IEnumerable<string> Target(string field, string? value, bool required = true)
        => value is null
            ? required ? [$"{field}: a SIP URI is required"] : []
            : IsSipUri(value) ? [] : [$"{field}: '{value}' is not a SIP URI"];

    /// <summary>A list of targets: at least one, each a SIP URI.</summary>
    public static IEnumerable<string> Targets(string field, IReadOnlyList<string?>? values)
        => values is null or { Count: 0 }
            ? [$"{field}: at least one target is required"]
            : values.SelectMany((value, i) => Target($"{field}[{i}]", value));

    /// <summary><paramref name="problem"/> when <paramref name="holds"/>, else nothing.</summary>
    public static IEnumerable<string> If(bool holds, string problem) => holds ? [problem] : [];

    /// <summary>A whole number within bounds.</summary>
    public static IEnumerable<string> Range(string field, long value, long min, long max)
        => If(value < min || value > max, $"{field}: {value} is out of range ({min} to {max})");

    /// <summary>A ring time in seconds: 1 to <see cref="MaxRingSeconds"/>.</summary>
    public static IEnumerable<string> RingSeconds(string field, int value) => Range(field, value, 1, MaxRingSeconds);

    /// <summary>One of a few words (case as written).</summary>
    public static IEnumerable<string> OneOf(string field, string? value, params string[] allowed)
        => If(!allowed.Contains(value, StringComparer.Ordinal), $"{field}: '{value}' is not one of {string.Join(", ", allowed)}");
}
