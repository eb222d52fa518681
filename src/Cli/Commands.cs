using System.Text;
using CallControl.Grains.Cdr;
using CallControl.Storage;
using CallControl.Grains.Flows.BuiltIn;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Cli;

/// <summary>The commands, each small: parse, open the database, do one thing.</summary>
internal static class Commands
{
    private const string Usage = """
        usage: callcontrol migrate
               callcontrol cdr read --consumer NAME [--limit N]   print unread CDRs as JSON lines, then advance NAME's checkpoint
               callcontrol cdr follow --consumer NAME             the same, then each new CDR as it is written, until Ctrl+C
               callcontrol route add --name NAME --prefix DIGITS --targets sip:a,sip:b   targets tried in order (failover on 408, 5xx, no answer)
               callcontrol route add --name NAME --prefix DIGITS --flow FLOW [--parameters JSON] [--targets ...]
                                                                  a call flow decides (hunt, ring-group, forward, ...: docs/call-flows.md)
               callcontrol route list
               callcontrol route remove --name NAME
               callcontrol subscriber add --username USER --realm DOMAIN --password SECRET   stored as digest HA1 only
               callcontrol subscriber list
               callcontrol subscriber remove --username USER --realm DOMAIN
        options: --connection "Host=...;Database=..." (default: CallControl__Storage__ConnectionString)
        """;

    /// <summary>
    /// The shipped flows the CLI checks a route against before storing it: every one but prepaid, whose code lives with
    /// its grain (src/Grains); a route naming prepaid, like a developer's own flow, is checked by the silos when they load it.
    /// </summary>
    private static Grains.Flows.CallFlowRegistry ShippedFlows()
        => new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<Grains.Flows.CallFlowRegistry>();

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var arguments = new Arguments(args);
            await using var dataSource = PostgresDataSource.Create(ConnectionString(arguments));
            switch (arguments.Words)
            {
                case ["migrate"]:
                    var applied = await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
                    await output.WriteLineAsync(applied.Count == 0 ? "schema up to date" : $"applied {string.Join(", ", applied)}");
                    return 0;
                case ["cdr", "read"]:
                    return await ReadAsync(new CdrLog(dataSource), arguments.Required("consumer"), arguments.Int("limit", 10_000), output, cancellationToken);
                case ["cdr", "follow"]:
                    await foreach (var entry in new CdrLog(dataSource).FollowAsync(arguments.Required("consumer"), TimeSpan.FromSeconds(5), cancellationToken).WithCancellation(cancellationToken))
                    {
                        await WriteAsync(output, entry);
                    }

                    return 0;
                case ["route", "add"]:
                    var targets = (arguments.Option("targets") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var route = new Grains.Routing.DialPlanRoute(arguments.Required("name"), arguments.Required("prefix"), targets, arguments.Option("flow"), arguments.Option("parameters"));
                    await new RouteTable(dataSource).AddAsync(route, ShippedFlows(), cancellationToken);
                    return 0;
                case ["route", "list"]:
                    foreach (var listed in await new RouteTable(dataSource).ListAsync(cancellationToken))
                    {
                        await output.WriteLineAsync($"{listed.Name}\t{listed.Prefix}\t{string.Join(',', listed.Targets)}\t{listed.Flow ?? Grains.Flows.BuiltIn.FailoverFlow.Name}\t{listed.Parameters}");
                    }

                    return 0;
                case ["route", "remove"]:
                    return await new RouteTable(dataSource).RemoveAsync(arguments.Required("name"), cancellationToken) ? 0 : 1;
                case ["subscriber", "add"]:
                    await new SubscriberTable(dataSource).AddAsync(arguments.Required("username"), arguments.Required("realm"), arguments.Required("password"), cancellationToken);
                    return 0;
                case ["subscriber", "list"]:
                    foreach (var (username, realm) in await new SubscriberTable(dataSource).ListAsync(cancellationToken))
                    {
                        await output.WriteLineAsync($"{username}@{realm}");
                    }

                    return 0;
                case ["subscriber", "remove"]:
                    return await new SubscriberTable(dataSource).RemoveAsync(arguments.Required("username"), arguments.Required("realm"), cancellationToken) ? 0 : 1;
                default:
                    throw new UsageException("unknown command.");
            }
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\n{Usage}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (NpgsqlException e)
        {
            await error.WriteLineAsync($"database error: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ReadAsync(CdrLog log, string consumer, int limit, TextWriter output, CancellationToken cancellationToken)
    {
        var position = await log.CheckpointAsync(consumer, cancellationToken);
        var entries = await log.ReadAsync(position, limit, cancellationToken);
        foreach (var entry in entries)
        {
            await WriteAsync(output, entry);
        }

        await output.FlushAsync(cancellationToken);
        if (entries.Count > 0)
        {
            await log.CommitAsync(consumer, entries[^1].Position, cancellationToken); // after printing: at least once
        }

        return 0;
    }

    private static Task WriteAsync(TextWriter output, CdrEntry entry) => output.WriteLineAsync(Encoding.UTF8.GetString(CdrJson.ToUtf8(entry.Record)));

    private static string ConnectionString(Arguments arguments)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().Build()[StorageOptions.Section + ":ConnectionString"];
        return arguments.Option("connection") ?? (string.IsNullOrWhiteSpace(configured)
            ? throw new UsageException($"no database: set {StorageOptions.Section}:ConnectionString (CallControl__Storage__ConnectionString) or --connection.")
            : configured);
    }
}
