using System.Text.Json;

namespace CallControl.Grains.Flows;

/// <summary>One call as its flow sees it: the facts, the route's parameters, the flow's own state, and services.</summary>
public sealed class CallFlowContext
{
    private static readonly JsonSerializerOptions ParameterJson = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };
    private readonly string? _parameters;
    private object? _typedParameters;

    /// <summary>Made by the dialog grain for each question it asks; public for test kits (CallControl.Flows.Testing).</summary>
    public CallFlowContext(CallFacts call, string? parameters, IReadOnlyList<DialTarget> routeTargets, object? state, TimeProvider time, IGrainFactory grains, Dial? lastDial)
    {
        Call = call;
        _parameters = parameters;
        RouteTargets = routeTargets;
        RawState = state;
        Time = time;
        Grains = grains;
        LastDial = lastDial;
    }

    /// <summary>The incoming call.</summary>
    public CallFacts Call { get; }

    /// <summary>The targets of the dial-plan route that chose the flow (empty for a route that names only a flow).</summary>
    public IReadOnlyList<DialTarget> RouteTargets { get; }

    /// <summary>The clock (a fake one in tests): time-of-day rules read it here.</summary>
    public TimeProvider Time { get; }

    /// <summary>The cluster's grains, for flows that keep data of their own (a balance, a schedule).</summary>
    public IGrainFactory Grains { get; }

    /// <summary>The dial that is ringing or just failed, if any.</summary>
    public Dial? LastDial { get; }

    /// <summary>The route's flow parameters (the JSON in its row) as <typeparamref name="T"/>, web naming (camelCase).</summary>
    public T Parameters<T>()
        where T : class
    {
        if (_typedParameters is T typed)
        {
            return typed;
        }

        var value = JsonSerializer.Deserialize<T>(string.IsNullOrWhiteSpace(_parameters) ? "{}" : _parameters, ParameterJson)
            ?? throw new JsonException("The flow parameters are null.");
        _typedParameters = value;
        return value;
    }

    /// <summary>
    /// The flow's state for this call, created on first use. It is persisted with the call (a type with
    /// <c>[GenerateSerializer]</c>), before the next leg's INVITE goes out.
    /// </summary>
    public T State<T>()
        where T : class, new()
    {
        if (RawState is T state)
        {
            return state;
        }

        state = new T();
        RawState = state;
        return state;
    }

    /// <summary>The flow state as stored (null until the flow first asks for it).</summary>
    public object? RawState { get; private set; }

    /// <summary>Parses flow parameters for validation, with the same options flows read them with.</summary>
    public static T? ParseParameters<T>(string json) => JsonSerializer.Deserialize<T>(json, ParameterJson);
}
