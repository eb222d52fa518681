using System.CommandLine;
using System.Text;
using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.Cli;

/// <summary>The commands, each small: parse (<see cref="Syntax"/>), open the database, do one thing.</summary>
internal static class Commands
{
    private const string Usage = """
        usage: callcontrol migrate
               callcontrol cdr read --consumer NAME [--limit N]   print unread CDRs as JSON lines, then advance NAME's checkpoint
               callcontrol cdr follow --consumer NAME             the same, then each new CDR as it is written, until Ctrl+C
               callcontrol route add --name NAME --prefix DIGITS --targets sip:a,sip:b   targets tried in order (failover on 408, 5xx, no answer)
               callcontrol route add --name NAME --prefix DIGITS --flow FLOW [--parameters JSON] [--targets ...]
                                                                  a call flow decides (hunt, ring-group, forward, ...: docs/call-flows.md)
               callcontrol route add ... --media rtp|srtp|webrtc      the callee's media when anchored (docs/media.md; default rtp)
               callcontrol route add ... --auth-user USER (--auth-password SECRET | --auth-ha1 HEX) [--auth-realm REALM]
                                                                  credentials for the trunk's 401/407 (docs/interop.md)
               callcontrol route add ... [--header-allow H,X-*] [--header-deny H,...] [--number-strip 0,00 --number-add +44,+]
                                     [--from-user U] [--from-display NAME] [--to-user U] [--pai URI|from] [--privacy id|none|remove]
                                                                  SIP normalisation toward the route's callees (docs/interop.md)
               callcontrol route list                             name, prefix, targets, flow, parameters, media[, auth user@realm][, policy]
               callcontrol route remove --name NAME
               callcontrol subscriber add --username USER --realm DOMAIN --password SECRET   stored as digest HA1 only
               callcontrol subscriber list
               callcontrol subscriber remove --username USER --realm DOMAIN
               callcontrol ban list                               the bans in force: source, until (UTC), reason, by
               callcontrol ban add --source IP [--for DURATION]   every edge drops the source (DURATION: 90s, 10m, 2h, 7d; default 10m)
               callcontrol ban remove --source IP
        options: --connection "Host=...;Database=..." (default: CallControl__Storage__ConnectionString)
        """;

    /// <summary>Runs one command line; the exit code is 0 done, 1 failed (or nothing to remove), 2 usage or configuration.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var parse = Syntax.Build((command, parsed, token) => RunCommandAsync(command, parsed, output, token)).Parse(args, Syntax.Parsing);
            if (parse.Errors.Count > 0)
            {
                throw new UsageException(Syntax.Describe(parse));
            }

            // Exceptions reach the handlers below, and Ctrl+C is Program's: a cancelled follow ends with 0, as always.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken);
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

    private static async Task<int> RunCommandAsync(string command, ParseResult parse, TextWriter output, CancellationToken cancellationToken)
    {
        await using var dataSource = PostgresDataSource.Create(ConnectionString(parse));
        switch (command)
        {
            case "migrate":
                var applied = await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
                await output.WriteLineAsync(applied.Count == 0 ? "schema up to date" : $"applied {string.Join(", ", applied)}");
                return 0;
            case "cdr read":
                return await ReadAsync(new CdrLog(dataSource), Required(parse, Syntax.Consumer), PositiveOr(parse, Syntax.Limit, 10_000), output, cancellationToken);
            case "cdr follow":
                await foreach (var entry in new CdrLog(dataSource).FollowAsync(Required(parse, Syntax.Consumer), TimeSpan.FromSeconds(5), cancellationToken).WithCancellation(cancellationToken))
                {
                    await WriteAsync(output, entry);
                }

                return 0;
            case "route add":
                var targets = (parse.GetValue(Syntax.Targets) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var route = new DialPlanRoute(Required(parse, Syntax.Name), Required(parse, Syntax.Prefix), targets, parse.GetValue(Syntax.Flow), parse.GetValue(Syntax.Parameters), MediaOf(parse)) { Auth = AuthOf(parse), Policy = PolicyOf(parse) };
                await new RouteTable(dataSource).AddAsync(route, ShippedFlows(), cancellationToken);
                return 0;
            case "route list":
                foreach (var listed in await new RouteTable(dataSource).ListAsync(cancellationToken))
                {
                    await output.WriteLineAsync($"{listed.Name}\t{listed.Prefix}\t{string.Join(',', listed.Targets)}\t{listed.Flow ?? FailoverFlow.Name}\t{listed.Parameters}\t{listed.Media ?? MediaProfileNames.Of(MediaProfile.Rtp)}{AuthColumn(listed.Auth)}{PolicyColumn(listed.Policy)}");
                }

                return 0;
            case "route remove":
                return await new RouteTable(dataSource).RemoveAsync(Required(parse, Syntax.Name), cancellationToken) ? 0 : 1;
            case "subscriber add":
                await new SubscriberTable(dataSource).AddAsync(Required(parse, Syntax.Username), Required(parse, Syntax.Realm), Required(parse, Syntax.Password), cancellationToken);
                return 0;
            case "subscriber list":
                foreach (var (username, realm) in await new SubscriberTable(dataSource).ListAsync(cancellationToken))
                {
                    await output.WriteLineAsync($"{username}@{realm}");
                }

                return 0;
            case "subscriber remove":
                return await new SubscriberTable(dataSource).RemoveAsync(Required(parse, Syntax.Username), Required(parse, Syntax.Realm), cancellationToken) ? 0 : 1;
            case "ban list":
                foreach (var ban in await new BanTable(dataSource).LoadAsync(DateTimeOffset.UtcNow, cancellationToken))
                {
                    await output.WriteLineAsync(FormattableString.Invariant($"{ban.Source}\t{ban.Until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\t{ban.Reason}\t{ban.By}"));
                }

                return 0;
            case "ban add":
                var length = parse.GetValue(Syntax.For) is { } text ? BanLength.Parse(text) : BanLength.Default;
                await new BanTable(dataSource).SaveAsync(new Grains.SourceBan(BanSource(parse), DateTimeOffset.UtcNow + length, "manual", "cli"), cancellationToken);
                return 0;
            case "ban remove":
                return await new BanTable(dataSource).RemoveAsync(BanSource(parse), cancellationToken) ? 0 : 1;
            default:
                throw new UsageException("unknown command.");
        }
    }

    /// <summary>
    /// The shipped flows the CLI checks a route against before storing it: every one but prepaid, whose code lives with
    /// its grain (src/Grains); a route naming prepaid, like a developer's own flow, is checked by the silos when they load it.
    /// </summary>
    private static CallFlowRegistry ShippedFlows()
        => new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

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

    private static string BanSource(ParseResult parse)
        => System.Net.IPAddress.TryParse(Required(parse, Syntax.Source), out var address) ? address.ToString() : throw new UsageException($"{Syntax.Source.Name} must be an IP address.");

    /// <summary>The route's trunk credentials (null: no --auth-* option); what is wrong with them is the table's to say, naming the field.</summary>
    private static TrunkCredentials? AuthOf(ParseResult parse)
    {
        var (user, password, ha1, realm) = (parse.GetValue(Syntax.AuthUser), parse.GetValue(Syntax.AuthPassword), parse.GetValue(Syntax.AuthHa1), parse.GetValue(Syntax.AuthRealm));
        return user is null && password is null && ha1 is null && realm is null
            ? null
            : new TrunkCredentials(user ?? "", password, ha1, string.IsNullOrWhiteSpace(realm) ? null : realm);
    }

    // The user name and realm of a route's credentials, never the secret; nothing for a route without (the columns before stay as they were).
    private static string AuthColumn(TrunkCredentials? auth) => auth is null ? "" : $"\tauth {auth.Username}@{auth.Realm ?? "*"}";

    /// <summary>
    /// The route's SIP normalisation from the --header-*, --number-*, --from-*, --to-user, --pai and --privacy options; what
    /// is wrong with it is the table's to say, naming the field. Strip and add lists pair by position.
    /// </summary>
    private static RoutePolicy PolicyOf(ParseResult parse)
    {
        var (strip, add) = (List(parse, Syntax.NumberStrip), List(parse, Syntax.NumberAdd));
        if (strip.Length != add.Length && !(strip.Length == 0 && add.Length == 0))
        {
            throw new UsageException($"{Syntax.NumberStrip.Name} and {Syntax.NumberAdd.Name} need as many entries each (they pair by position; an empty entry strips or adds nothing).");
        }

        var policy = new RoutePolicy
        {
            Headers = new HeaderPolicy { Allow = List(parse, Syntax.HeaderAllow), Deny = List(parse, Syntax.HeaderDeny) },
            Rewrite = new IdentityRewrite
            {
                FromUser = parse.GetValue(Syntax.FromUser),
                FromDisplay = parse.GetValue(Syntax.FromDisplay),
                ToUser = parse.GetValue(Syntax.ToUser),
                PAssertedIdentity = parse.GetValue(Syntax.Pai),
                Privacy = parse.GetValue(Syntax.Privacy),
            },
            Numbers = [.. strip.Zip(add, (s, a) => new NumberRule(s, a))],
        };
        return policy.IsDefault ? RoutePolicy.Default : policy;

        // A comma list; entries kept even when empty (--number-add ,+ pairs "" with the first strip) once one is given.
        static string[] List(ParseResult parse, Option<string> option)
            => parse.GetValue(option) is { } text ? [.. text.Split(',').Select(e => e.Trim())] : [];
    }

    // The route's policy as the flags that set it; nothing for a route without one (the columns before stay as they were).
    private static string PolicyColumn(RoutePolicy policy) => policy.IsDefault ? "" : $"	{policy}";

    /// <summary>The route's media profile by its own name (null: none given, the default), or a usage error naming the flag.</summary>
    private static string? MediaOf(ParseResult parse) => parse.GetValue(Syntax.Media) switch
    {
        null => null,
        var text when MediaProfileNames.TryParse(text, out var profile) => MediaProfileNames.Of(profile),
        _ => throw new UsageException($"{Syntax.Media.Name} must be one of {MediaProfileNames.Accepted}."),
    };

    private static string Required(ParseResult parse, Option<string> option)
        => parse.GetValue(option) ?? throw new UsageException($"{option.Name} is required.");

    private static int PositiveOr(ParseResult parse, Option<string> option, int fallback)
        => parse.GetValue(option) is { } text
            ? int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new UsageException($"{option.Name} must be a positive number.")
            : fallback;

    private static string ConnectionString(ParseResult parse)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables().Build()[StorageOptions.Section + ":ConnectionString"];
        return parse.GetValue(Syntax.Connection) ?? (string.IsNullOrWhiteSpace(configured)
            ? throw new UsageException($"no database: set {StorageOptions.Section}:ConnectionString (CallControl__Storage__ConnectionString) or --connection.")
            : configured);
    }
}
