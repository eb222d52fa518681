using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// The dial plan in table <c>route</c>: the longest prefix of the dialled number wins; a number no route
/// matches goes to the default target (<see cref="DefaultTargetRouter"/>). Read per call, so a route added
/// with the CLI applies to the next call.
/// </summary>
public sealed class PostgresDialPlan(NpgsqlDataSource dataSource, DefaultTargetRouter fallback) : ICallRouter
{
    private const string Match = """
        SELECT name, targets FROM route
         WHERE starts_with(@number, prefix)
         ORDER BY length(prefix) DESC
         LIMIT 1
        """;

    /// <inheritdoc />
    public async ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
    {
        var number = dialled.User ?? "";
        await using var command = dataSource.CreateCommand(Match);
        command.Parameters.AddWithValue("number", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return await fallback.RouteAsync(dialled, caller, cancellationToken);
        }

        var name = reader.GetString(0);
        var targets = reader.GetFieldValue<string[]>(1)
            .Select(t => SipUri.TryParse(t, out var uri) && uri.IsSip ? uri : null)
            .OfType<SipUri>()
            .ToList();
        return targets.Count == 0 ? null : RouteDecision.Sequential(targets, name);
    }
}
