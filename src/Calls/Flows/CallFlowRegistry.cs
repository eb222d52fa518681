using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CallControl.Grains.Flows;

/// <summary>A flow registered under a name, as routes refer to it.</summary>
/// <param name="Name">The name in a route's <c>flow</c> column.</param>
public sealed record CallFlowRegistration(string Name);

/// <summary>The flows this silo knows, by name; and the check of a route's parameters against its flow.</summary>
public sealed class CallFlowRegistry(IServiceProvider services, IEnumerable<CallFlowRegistration> registrations) : ICallFlowCatalog
{
    private readonly HashSet<string> _names = [.. registrations.Select(r => r.Name)];

    /// <summary>Every registered flow name.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The flow registered as <paramref name="name"/>, or null.</summary>
    public ICallFlow? Find(string name) => _names.Contains(name) ? services.GetKeyedService<ICallFlow>(name) : null;

    /// <inheritdoc />
    public bool Contains(string name) => _names.Contains(name);

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(string flow, string? parameters)
    {
        if (Find(flow) is not { } found)
        {
            return [$"flow: '{flow}' is not a registered flow (known: {string.Join(", ", _names.Order(StringComparer.Ordinal))})"];
        }

        try
        {
            return [.. found.ValidateParameters(parameters)];
        }
        catch (JsonException e)
        {
            return [$"parameters: not valid JSON for flow '{flow}' ({e.Message})"];
        }
    }
}

/// <summary>Registers call flows.</summary>
public static class CallFlowServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TFlow"/> as the flow <paramref name="name"/>: a dial-plan route with
    /// <c>flow = name</c> sends its calls through it. One instance serves every call.
    /// </summary>
    public static IServiceCollection AddCallFlow<TFlow>(this IServiceCollection services, string name)
        where TFlow : class, ICallFlow
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddKeyedSingleton<ICallFlow, TFlow>(name);
        services.AddSingleton(new CallFlowRegistration(name));
        services.TryAddSingleton<CallFlowRegistry>();
        services.TryAddSingleton<ICallFlowCatalog>(sp => sp.GetRequiredService<CallFlowRegistry>());
        return services;
    }
}
