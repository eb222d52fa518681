using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// The operator's CLI as a process: its usage errors word and exit as they always did (System.CommandLine parses now),
/// its route and subscriber commands on a real PostgreSQL, and what it loads (no grains, no Orleans runtime).
/// </summary>
public sealed class CliTests(StoresFixture stores) : IClassFixture<StoresFixture>
{
    private const string NoServer = "Host=127.0.0.1;Port=1";

    [Fact]
    public void The_cli_loads_neither_the_grains_nor_orleans_runtime()
    {
        var dependencies = File.ReadAllText(Path.Combine(CliProcess.Directory, "CallControl.Cli.deps.json"));

        Assert.DoesNotContain("Orleans.Runtime", dependencies, StringComparison.Ordinal);
        Assert.DoesNotContain("CallControl.Grains/", dependencies, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(CliProcess.Directory, "Orleans.Runtime.dll")));
    }

    [Theory]
    [InlineData("--consumer needs a value.", "cdr", "read", "--consumer")]
    [InlineData("unknown command.", "route", "frob")]
    [InlineData("unknown command.", "migrate", "now")]
    [InlineData("unknown command.", "cdr")]
    [InlineData("no database: set CallControl:Storage:ConnectionString (CallControl__Storage__ConnectionString) or --connection.", "cdr", "read", "--consumer", "billing")]
    [InlineData("--name is required.", "--connection", NoServer, "route", "remove")]
    [InlineData("--password is required.", "subscriber", "add", "--username", "alice", "--realm", "example.com", "--connection", NoServer)]
    [InlineData("--limit must be a positive number.", "cdr", "read", "--consumer", "billing", "--limit", "0", "--connection", NoServer)]
    [InlineData("--media must be one of rtp, srtp, webrtc.", "route", "add", "--name", "uk", "--prefix", "44", "--targets", "sip:10.0.0.1", "--media", "sdes", "--connection", NoServer)]
    [InlineData("--number-strip and --number-add need as many entries each (they pair by position; an empty entry strips or adds nothing).", "route", "add", "--name", "uk", "--prefix", "44", "--targets", "sip:10.0.0.1", "--number-strip", "0,00", "--number-add", "+44", "--connection", NoServer)]
    public async Task A_wrong_command_line_says_what_is_wrong_with_the_usage_and_exits_2(string message, params string[] arguments)
    {
        var (exit, lines) = await RunAsync(arguments, connection: "");

        Assert.Equal(2, exit);
        Assert.Equal(message, lines[0]);
        Assert.Equal("usage: callcontrol migrate", lines[1]);
    }

    [Theory]
    [InlineData("sip:10.0.0.1:5060, sip:10.0.0.2:5060;transport=tcp", "sip:10.0.0.1:5060,sip:10.0.0.2:5060;transport=tcp")]
    [InlineData("sip:[2001:db8::7]:5060, sip:[::1]:5090;transport=tcp", "sip:[2001:db8::7]:5060,sip:[::1]:5090;transport=tcp")] // IPv6, as written
    public async Task A_route_is_added_listed_and_removed_and_a_second_remove_exits_1(string targets, string listedTargets)
    {
        var name = $"cli-{Guid.NewGuid():N}";
        var prefix = $"99{Random.Shared.Next(1_000_000)}";

        Assert.Equal(0, (await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", targets])).Exit);
        var (listed, lines) = await RunAsync(["route", "list"]);
        Assert.Equal(0, listed);
        Assert.Contains($"{name}\t{prefix}\t{listedTargets}\tfailover\t\trtp", lines);

        Assert.Equal(0, (await RunAsync(["route", "remove", "--name", name])).Exit);
        Assert.Equal(1, (await RunAsync(["route", "remove", "--name", name])).Exit);
    }

    [Fact]
    public async Task A_routes_media_profile_is_stored_by_its_name_and_listed_last()
    {
        var name = $"cli-{Guid.NewGuid():N}";
        var prefix = $"97{Random.Shared.Next(1_000_000)}";

        Assert.Equal(0, (await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5061;transport=tls", "--media", "SRTP"])).Exit);
        Assert.Contains($"{name}\t{prefix}\tsip:10.0.0.1:5061;transport=tls\tfailover\t\tsrtp", (await RunAsync(["route", "list"])).Lines);
        Assert.Equal(0, (await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5061;transport=tls", "--media", "webrtc"])).Exit);
        Assert.Contains($"{name}\t{prefix}\tsip:10.0.0.1:5061;transport=tls\tfailover\t\twebrtc", (await RunAsync(["route", "list"])).Lines);

        Assert.Equal(0, (await RunAsync(["route", "remove", "--name", name])).Exit);
    }

    [Fact]
    public async Task A_routes_trunk_credentials_are_stored_and_listed_by_user_and_realm_never_the_secret()
    {
        var name = $"cli-{Guid.NewGuid():N}";
        var prefix = $"94{Random.Shared.Next(1_000_000)}";

        Assert.Equal(0, (await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5060", "--auth-user", "acme", "--auth-password", "s3cret", "--auth-realm", "trunk.example"])).Exit);
        var (_, lines) = await RunAsync(["route", "list"]);
        Assert.Contains($"{name}\t{prefix}\tsip:10.0.0.1:5060\tfailover\t\trtp\tauth acme@trunk.example", lines);
        Assert.DoesNotContain(lines, l => l.Contains("s3cret", StringComparison.Ordinal));

        var (both, refusal) = await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5060", "--auth-user", "acme", "--auth-password", "s3cret", "--auth-ha1", new string('a', 32), "--auth-realm", "r"]);
        Assert.Equal(2, both);
        Assert.StartsWith($"route {name}: auth Password: give the password or the HA1, not both", refusal[0], StringComparison.Ordinal);
        Assert.DoesNotContain(refusal, l => l.Contains("s3cret", StringComparison.Ordinal));

        Assert.Equal(0, (await RunAsync(["route", "remove", "--name", name])).Exit);
    }

    [Fact]
    public async Task A_route_whose_shipped_flow_rejects_its_parameters_is_not_stored_and_exits_2()
    {
        var name = $"cli-{Guid.NewGuid():N}";

        var (exit, lines) = await RunAsync(["route", "add", "--name", name, "--prefix", "98", "--flow", "hunt", "--parameters", """{"targets":["anna"]}"""]);

        Assert.Equal(2, exit);
        Assert.Contains("parameters.targets[0]: 'anna' is not a SIP URI", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain((await RunAsync(["route", "list"])).Lines, line => line.StartsWith(name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscriber_is_added_listed_and_removed()
    {
        var user = $"u{Guid.NewGuid():N}";

        // A password may start with '@': it is the password, not a file of arguments.
        Assert.Equal(0, (await RunAsync(["subscriber", "add", "--username", user, "--realm", "Example.COM", "--password", "@secret"])).Exit);
        Assert.Contains($"{user}@example.com", (await RunAsync(["subscriber", "list"])).Lines);
        Assert.Equal(0, (await RunAsync(["subscriber", "remove", "--username", user, "--realm", "example.com"])).Exit);
        Assert.Equal(1, (await RunAsync(["subscriber", "remove", "--username", user, "--realm", "example.com"])).Exit);
    }

    // On the stores' database unless told otherwise ("": none in the environment).
    [Fact]
    public async Task A_routes_header_policy_rewrite_and_number_rules_are_stored_and_listed_as_the_flags_that_set_them()
    {
        var name = $"cli-{Guid.NewGuid():N}";
        var prefix = $"96{Random.Shared.Next(1_000_000)}";
        string[] policy = ["--header-allow", "P-Charging-Vector,P-Called-*", "--header-deny", "X-Internal-*", "--number-strip", "0,00", "--number-add", "+44,+", "--from-user", "01632960001", "--pai", "from", "--privacy", "id"];

        Assert.Equal(0, (await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5060", .. policy])).Exit);
        Assert.Contains($"{name}\t{prefix}\tsip:10.0.0.1:5060\tfailover\t\trtp\t{string.Join(' ', policy)}", (await RunAsync(["route", "list"])).Lines);

        // A policy that does not validate is not stored, and the field is named (exit 2).
        var (exit, lines) = await RunAsync(["route", "add", "--name", name, "--prefix", prefix, "--targets", "sip:10.0.0.1:5060", "--header-allow", "Via", "--privacy", "everything"]);
        Assert.Equal(2, exit);
        Assert.Contains("Headers:Allow:0: Via never crosses to the other leg", lines[0], StringComparison.Ordinal);
        Assert.Contains("Rewrite:Privacy:", lines[0], StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync(["route", "remove", "--name", name])).Exit);
    }

    private Task<(int Exit, string[] Lines)> RunAsync(string[] arguments, string? connection = null)
        => CliProcess.RunAsync(arguments, connection ?? stores.Cluster.ConnectionString);
}
