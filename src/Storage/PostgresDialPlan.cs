using System.Collections.Concurrent;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// The dial plan in table <c>route</c>: the longest prefix of the dialled number wins; a number no route
/// matches goes to the default target (<see cref="DefaultTargetRouter"/>). Read per call, so a route added
/// with the CLI applies to the next call. Each row is checked against its flow when first loaded: a route that
/// does not validate is logged with the route and field, and its calls are refused with 500.
/// </summary>
public sealed partial class PostgresDialPlan(NpgsqlDataSource dataSource, DefaultTargetRouter fallback, ICallFlowCatalog flows, ILogger<PostgresDialPlan> logger) : ICallRouter
{
    private const string Match = $"""
        SELECT {RouteTable.Columns} FROM route
         WHERE starts_with(@number, prefix)
         ORDER BY length(prefix) DESC
         LIMIT 1
        """;

    // Routes already checked, by their content: a row changed with the CLI is checked again. Bounded: a dial plan
    // that keeps changing is checked afresh rather than remembered without end.
    private readonly ConcurrentDictionary<string, bool> _checked = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Match);
        command.Parameters.AddWithValue("number", dialled.User ?? "");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return await fallback.RouteAsync(dialled, caller, cancellationToken);
        }

        var route = RouteTable.Read(reader);
        return IsValid(route) ? route.ToDecision() : new RouteDecision([], route.Name) { Flow = RefuseFlow.Name, FlowParameters = RefuseFlow.Misconfigured };
    }

    /// <summary>Checks every route (at silo start): each problem is logged with its route and field.</summary>
    public async Task<int> CheckAllAsync(CancellationToken cancellationToken)
    {
        var invalid = 0;
        foreach (var route in await new RouteTable(dataSource).ListAsync(cancellationToken))
        {
            invalid += IsValid(route) ? 0 : 1;
        }

        return invalid;
    }

    private bool IsValid(DialPlanRoute route)
    {
        var key = string.Join('\n', route.Name, route.Prefix, string.Join(',', route.Targets), route.Flow, route.Parameters, route.Media, route.Policy);
        if (_checked.TryGetValue(key, out var valid))
        {
            return valid;
        }

        var problems = route.Problems(flows).Concat(route.Policy.Problems()).ToList();
        foreach (var problem in problems)
        {
            Log.InvalidRoute(logger, route.Name, problem);
        }

        if (_checked.Count > 10_000)
        {
            _checked.Clear();
        }

        _checked[key] = problems.Count == 0;
        return problems.Count == 0;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Route '{Route}' is invalid and its calls get 500: {Problem}")]
        public static partial void InvalidRoute(ILogger logger, string route, string problem);
    }
}
