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
        problems.AddRange(route.Auth?.Problems().Select(p => "auth " + p) ?? []);
        problems.AddRange(route.Policy.Problems());
        if (problems.Count > 0)
        {
            throw new ArgumentException($"route {route.Name}: {string.Join("; ", problems)}", nameof(route));
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO route (name, prefix, targets, flow, parameters, media, auth_username, auth_realm, auth_password, auth_ha1,
                               header_allow, header_deny, rewrite_from_user, rewrite_from_display, rewrite_to_user, rewrite_pai, rewrite_privacy, number_strip, number_add)
            VALUES (@name, @prefix, @targets, @flow, @parameters, @media, @auth_username, @auth_realm, @auth_password, @auth_ha1,
                    @header_allow, @header_deny, @rewrite_from_user, @rewrite_from_display, @rewrite_to_user, @rewrite_pai, @rewrite_privacy, @number_strip, @number_add)
            ON CONFLICT (name) DO UPDATE SET prefix = EXCLUDED.prefix, targets = EXCLUDED.targets, flow = EXCLUDED.flow, parameters = EXCLUDED.parameters, media = EXCLUDED.media,
                auth_username = EXCLUDED.auth_username, auth_realm = EXCLUDED.auth_realm, auth_password = EXCLUDED.auth_password, auth_ha1 = EXCLUDED.auth_ha1,
                header_allow = EXCLUDED.header_allow, header_deny = EXCLUDED.header_deny, rewrite_from_user = EXCLUDED.rewrite_from_user,
                rewrite_from_display = EXCLUDED.rewrite_from_display, rewrite_to_user = EXCLUDED.rewrite_to_user, rewrite_pai = EXCLUDED.rewrite_pai,
                rewrite_privacy = EXCLUDED.rewrite_privacy, number_strip = EXCLUDED.number_strip, number_add = EXCLUDED.number_add
            """);
        command.Parameters.AddWithValue("name", route.Name);
        command.Parameters.AddWithValue("prefix", route.Prefix);
        command.Parameters.AddWithValue("targets", route.Targets.ToArray());
        command.Parameters.AddWithValue("flow", (object?)NullIfBlank(route.Flow) ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("parameters", NpgsqlDbType.Jsonb) { Value = (object?)NullIfBlank(route.Parameters) ?? DBNull.Value });
        command.Parameters.AddWithValue("media", (object?)NullIfBlank(route.Media) ?? DBNull.Value);
        command.Parameters.AddWithValue("auth_username", (object?)route.Auth?.Username ?? DBNull.Value);
        command.Parameters.AddWithValue("auth_realm", (object?)NullIfBlank(route.Auth?.Realm) ?? DBNull.Value);
        command.Parameters.AddWithValue("auth_password", (object?)NullIfBlank(route.Auth?.Password) ?? DBNull.Value);
        command.Parameters.AddWithValue("auth_ha1", (object?)NullIfBlank(route.Auth?.Ha1)?.ToLowerInvariant() ?? DBNull.Value);
        var (policy, rewrite) = (route.Policy, route.Policy.Rewrite);
        command.Parameters.AddWithValue("header_allow", policy.Headers.Allow.ToArray());
        command.Parameters.AddWithValue("header_deny", policy.Headers.Deny.ToArray());
        command.Parameters.AddWithValue("rewrite_from_user", (object?)rewrite.FromUser ?? DBNull.Value);
        command.Parameters.AddWithValue("rewrite_from_display", (object?)rewrite.FromDisplay ?? DBNull.Value);
        command.Parameters.AddWithValue("rewrite_to_user", (object?)rewrite.ToUser ?? DBNull.Value);
        command.Parameters.AddWithValue("rewrite_pai", (object?)rewrite.PAssertedIdentity ?? DBNull.Value);
        command.Parameters.AddWithValue("rewrite_privacy", (object?)rewrite.Privacy ?? DBNull.Value);
        command.Parameters.AddWithValue("number_strip", policy.Numbers.Select(n => n.Strip).ToArray());
        command.Parameters.AddWithValue("number_add", policy.Numbers.Select(n => n.Add).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Every route, longest prefix first; with its credentials' user name and realm but not their secret (an empty
    /// password stands for it: what is listed is shown, and the secret stays in the table).
    /// </summary>
    public async Task<IReadOnlyList<DialPlanRoute>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, auth_username, auth_realm FROM route ORDER BY length(prefix) DESC, prefix");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var routes = new List<DialPlanRoute>();
        var columns = Columns.Split(',').Length; // the user name's, after Read's
        while (await reader.ReadAsync(cancellationToken))
        {
            var route = Read(reader);
            routes.Add(reader.IsDBNull(columns) ? route : route with { Auth = new TrunkCredentials(reader.GetString(columns), "", null, reader.IsDBNull(columns + 1) ? null : reader.GetString(columns + 1)) });
        }

        return routes;
    }

    /// <summary>The credentials of route <paramref name="name"/>, secret included (for the silo that answers its trunk's challenge); null when it has none.</summary>
    public async Task<TrunkCredentials?> CredentialsAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT auth_username, auth_password, auth_ha1, auth_realm FROM route WHERE name = @name AND auth_username IS NOT NULL");
        command.Parameters.AddWithValue("name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new TrunkCredentials(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    /// <summary>Removes a route; false when there was none of that name.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM route WHERE name = @name");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
    internal const string Columns = "name, prefix, targets, flow, parameters::text, media, "
        + "header_allow, header_deny, rewrite_from_user, rewrite_from_display, rewrite_to_user, rewrite_pai, rewrite_privacy, number_strip, number_add";

    internal static DialPlanRoute Read(NpgsqlDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        row.GetFieldValue<string[]>(2),
        row.IsDBNull(3) ? null : row.GetString(3),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5))
    {
        Policy = PolicyOf(row),
    };

    // Columns 6–14 (migration 012); the default policy when they hold nothing, so a call keeps none in its state.
    private static RoutePolicy PolicyOf(NpgsqlDataReader row)
    {
        string? Text(int column) => row.IsDBNull(column) ? null : row.GetString(column);
        var (strip, add) = (row.GetFieldValue<string[]>(13), row.GetFieldValue<string[]>(14));
        var policy = new RoutePolicy
        {
            Headers = new HeaderPolicy { Allow = row.GetFieldValue<string[]>(6), Deny = row.GetFieldValue<string[]>(7) },
            Rewrite = new IdentityRewrite { FromUser = Text(8), FromDisplay = Text(9), ToUser = Text(10), PAssertedIdentity = Text(11), Privacy = Text(12) },
            Numbers = [.. strip.Zip(add, (s, a) => new NumberRule(s, a))],
        };
        return policy.IsDefault ? RoutePolicy.Default : policy;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
