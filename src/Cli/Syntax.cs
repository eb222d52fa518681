using System.CommandLine;
using System.CommandLine.Parsing;

namespace CallControl.Cli;

/// <summary>
/// The command tree System.CommandLine parses: the words and options of README.md's commands. Options are read as
/// text and checked by <see cref="Commands"/>, so a wrong value gets the same message it always did; required ones
/// too ("--consumer is required."), rather than the parser's own wording.
/// </summary>
internal static class Syntax
{
    public static Option<string> Connection { get; } = new("--connection") { Description = "an Npgsql connection string (default: CallControl__Storage__ConnectionString)", Recursive = true };

    public static Option<string> Consumer { get; } = Text("--consumer", "the consumer whose checkpoint is read and moved on");

    public static Option<string> Limit { get; } = Text("--limit", "at most this many CDRs (default 10000)");

    public static Option<string> Name { get; } = Text("--name", "the route's name");

    public static Option<string> Prefix { get; } = Text("--prefix", "the dialled digits the route takes (the longest prefix wins)");

    public static Option<string> Targets { get; } = Text("--targets", "SIP URIs, comma-separated, tried in order");

    public static Option<string> Flow { get; } = Text("--flow", "a call flow (hunt, ring-group, forward, ...: docs/call-flows.md)");

    public static Option<string> Parameters { get; } = Text("--parameters", "the flow's parameters as JSON");

    public static Option<string> Media { get; } = Text("--media", "the callee's media when anchored: rtp (default), srtp (SDES-SRTP), webrtc (DTLS-SRTP, ICE)");

    public static Option<string> AuthUser { get; } = Text("--auth-user", "the user name the route's trunk challenges for (outbound authentication)");

    public static Option<string> AuthPassword { get; } = Text("--auth-password", "its password (or --auth-ha1, not both)");

    public static Option<string> AuthHa1 { get; } = Text("--auth-ha1", "its digest HA1, H(user:realm:password) in hex (32 digits: MD5, 64: SHA-256; needs --auth-realm)");

    public static Option<string> AuthRealm { get; } = Text("--auth-realm", "the realm the credentials are for (default: any realm the trunk names)");

    public static Option<string> HeaderAllow { get; } = Text("--header-allow", "headers that cross between the legs besides the defaults, comma-separated (names, or prefixes ending in '*')");

    public static Option<string> HeaderDeny { get; } = Text("--header-deny", "headers that never cross, comma-separated (names, or prefixes ending in '*'; wins over --header-allow and the defaults)");

    public static Option<string> NumberStrip { get; } = Text("--number-strip", "number prefixes to strip, comma-separated, each replaced by the --number-add of its position (0 with +44: national to E.164)");

    public static Option<string> NumberAdd { get; } = Text("--number-add", "the prefixes added in their place, comma-separated, one per --number-strip");

    public static Option<string> FromUser { get; } = Text("--from-user", "the From user toward the route's callees");

    public static Option<string> FromDisplay { get; } = Text("--from-display", "the From display name toward the route's callees");

    public static Option<string> ToUser { get; } = Text("--to-user", "the To user toward the route's callees");

    public static Option<string> Pai { get; } = Text("--pai", "the P-Asserted-Identity toward the route's callees: a URI, or 'from' (the From's)");

    public static Option<string> Privacy { get; } = Text("--privacy", "the Privacy header toward the route's callees (id, none, header, ...; ';'-separated), or 'remove'");

    public static Option<string> Username { get; } = Text("--username", "the subscriber's user name");

    public static Option<string> Realm { get; } = Text("--realm", "the subscriber's domain");

    public static Option<string> Password { get; } = Text("--password", "stored as digest HA1 only");

    public static Option<string> Source { get; } = Text("--source", "the source IP address (IPv4 or IPv6)");

    public static Option<string> For { get; } = Text("--for", "how long: 90s, 10m, 2h, 7d, or hh:mm:ss (default 10m)");

    /// <summary>
    /// Words are taken as written: no response files, so a value that starts with '@' (a password) is that value, as
    /// it always was, not the name of a file to read arguments from.
    /// </summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command; each leaf's action is <paramref name="run"/> given the leaf's name ("cdr read").</summary>
    public static RootCommand Build(Func<string, ParseResult, CancellationToken, Task<int>> run)
    {
        Command Leaf(string group, string name, string description, params Option[] options)
        {
            var command = new Command(name, description);
            foreach (var option in options)
            {
                command.Options.Add(option);
            }

            var key = group.Length == 0 ? name : $"{group} {name}";
            command.SetAction((parse, cancellationToken) => run(key, parse, cancellationToken));
            return command;
        }

        return new RootCommand("CallControl's operator command line")
        {
            Options = { Connection },
            Subcommands =
            {
                Leaf("", "migrate", "apply the schema migrations"),
                new Command("cdr", "the CDR log")
                {
                    Leaf("cdr", "read", "print unread CDRs as JSON lines, then advance the consumer's checkpoint", Consumer, Limit),
                    Leaf("cdr", "follow", "the same, then each new CDR as it is written, until Ctrl+C", Consumer),
                },
                new Command("route", "the dial plan")
                {
                    Leaf("route", "add", "add or replace a route", Name, Prefix, Targets, Flow, Parameters, Media, AuthUser, AuthPassword, AuthHa1, AuthRealm,
                        HeaderAllow, HeaderDeny, NumberStrip, NumberAdd, FromUser, FromDisplay, ToUser, Pai, Privacy),
                    Leaf("route", "list", "every route, longest prefix first"),
                    Leaf("route", "remove", "remove a route (exit 1 when there is none)", Name),
                },
                new Command("subscriber", "the registrar's subscribers")
                {
                    Leaf("subscriber", "add", "add or replace a subscriber", Username, Realm, Password),
                    Leaf("subscriber", "list", "every subscriber as user@realm"),
                    Leaf("subscriber", "remove", "remove a subscriber (exit 1 when there is none)", Username, Realm),
                },
                new Command("ban", "sources every edge drops everything from")
                {
                    Leaf("ban", "list", "the bans in force: source, until (UTC), reason, by"),
                    Leaf("ban", "add", "ban a source on every edge (within a few seconds)", Source, For),
                    Leaf("ban", "remove", "lift a source's ban (exit 1 when there is none)", Source),
                },
            },
        };
    }

    /// <summary>
    /// What is wrong, worded as the CLI always said it: an option at the end without its value, or words that are no
    /// command. An option the command does not have (which the old parser ignored) is named.
    /// </summary>
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Select(e => e.SymbolResult).OfType<OptionResult>().FirstOrDefault(o => o.Tokens.Count == 0) is { } missing)
        {
            return $"{missing.Option.Name} needs a value.";
        }

        return parse.UnmatchedTokens.FirstOrDefault(t => t.StartsWith("--", StringComparison.Ordinal)) is { } unknown
            ? $"{unknown} is not an option of this command."
            : "unknown command.";
    }

    private static Option<string> Text(string name, string description) => new(name) { Description = description };
}
