using CallControl.Grains.Flows;
using CallControl.Grains.Routing;
using Npgsql;
using NpgsqlTypes;

namespace CallControl.Storage;

/// <summary>Adds, lists and removes dial-plan routes in table <c>route</c> (the CLI's <c>route</c> commands).</summary>
public sealed class RouteTable(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Adds or replaces a route after checking it against <paramref name="flows"/>; throws <see cref="ArgumentException"/>
    /// naming the route and each field that is wrong. A flow <paramref name="flows"/> does not know (a developer's own,
    /// registered in the silos) is left for the silos to check when they load the route.
    /// </summary>
    public async Task AddAsync(DialPlanRoute route, ICallFlowCatalog flows, CancellationToken cancellationToken)
    {
        var problems = route.Problems(flows).Where(p => !(route.Flow is { } flow && !flows.Contains(flow) && p.StartsWith("flow:", StringComparison.Ordinal))).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"route {route.Name}: {string.Join("; ", problems)}", nameof(route));
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO route (name, prefix, targets, flow, parameters, media) VALUES (@name, @prefix, @targets, @flow, @parameters, @media)
            ON CONFLICT (name) DO UPDATE SET prefix = EXCLUDED.prefix, targets = EXCLUDED.targets, flow = EXCLUDED.flow, parameters = EXCLUDED.parameters, media = EXCLUDED.media
            """);
        command.Parameters.AddWithValue("name", route.Name);
        command.Parameters.AddWithValue("prefix", route.Prefix);
        command.Parameters.AddWithValue("targets", route.Targets.ToArray());
        command.Parameters.AddWithValue("flow", (object?)NullIfBlank(route.Flow) ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("parameters", NpgsqlDbType.Jsonb) { Value = (object?)NullIfBlank(route.Parameters) ?? DBNull.Value });
        command.Parameters.AddWithValue("media", (object?)NullIfBlank(route.Media) ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every route, longest prefix first.</summary>
    public async Task<IReadOnlyList<DialPlanRoute>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM route ORDER BY length(prefix) DESC, prefix");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var routes = new List<DialPlanRoute>();
        while (await reader.ReadAsync(cancellationToken))
        {
            routes.Add(Read(reader));
        }

        return routes;
    }

    /// <summary>Removes a route; false when there was none of that name.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM route WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    internal const string Columns = "name, prefix, targets, flow, parameters::text, media";

    internal static DialPlanRoute Read(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetFieldValue<string[]>(2),
        row.IsDBNull(3) ? null : row.GetString(3),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
