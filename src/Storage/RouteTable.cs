using CallControl.Sip.Headers;
using Npgsql;

namespace CallControl.Storage;

/// <summary>One dial-plan route.</summary>
public sealed record RouteRow(string Name, string Prefix, IReadOnlyList<string> Targets);

/// <summary>Adds, lists and removes dial-plan routes (the CLI's <c>route</c> commands).</summary>
public sealed class RouteTable(NpgsqlDataSource dataSource)
{
    /// <summary>Adds or replaces a route; throws <see cref="ArgumentException"/> naming the field that is wrong.</summary>
    public async Task AddAsync(RouteRow route, CancellationToken cancellationToken)
    {
        if (route.Targets.Count == 0)
        {
            throw new ArgumentException($"route {route.Name}: targets: at least one SIP URI is needed.", nameof(route));
        }

        foreach (var target in route.Targets)
        {
            if (!SipUri.TryParse(target, out var uri) || !uri.IsSip || uri.Host.Length == 0)
            {
                throw new ArgumentException($"route {route.Name}: targets: '{target}' is not a SIP URI.", nameof(route));
            }
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO route (name, prefix, targets) VALUES (@name, @prefix, @targets)
            ON CONFLICT (name) DO UPDATE SET prefix = EXCLUDED.prefix, targets = EXCLUDED.targets
            """);
        command.Parameters.AddWithValue("name", route.Name);
        command.Parameters.AddWithValue("prefix", route.Prefix);
        command.Parameters.AddWithValue("targets", route.Targets.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every route, longest prefix first.</summary>
    public async Task<IReadOnlyList<RouteRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name, prefix, targets FROM route ORDER BY length(prefix) DESC, prefix");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var routes = new List<RouteRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            routes.Add(new RouteRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
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
}
