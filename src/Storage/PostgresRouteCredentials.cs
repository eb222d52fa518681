using CallControl.Grains.Routing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// Trunk credentials from table <c>route</c> (migration 011), read when a trunk challenges, so a route changed with the
/// CLI answers the next challenge with its new credentials. The default target's route (not a row) takes
/// <c>CallControl:Routing:DefaultTargetAuth</c>, as on a node without PostgreSQL.
/// </summary>
public sealed class PostgresRouteCredentials(NpgsqlDataSource dataSource, IOptions<RoutingOptions> options) : IRouteCredentials
{
    private readonly RouteTable _routes = new(dataSource);

    /// <inheritdoc />
    public async ValueTask<TrunkCredentials?> FindAsync(string route, CancellationToken cancellationToken)
        => await _routes.CredentialsAsync(route, cancellationToken)
            ?? (route == DefaultTargetRouter.RouteName ? options.Value.DefaultTargetAuth?.ToCredentials() : null);
}
