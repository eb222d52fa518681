using CallControl.Cli;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// <c>callcontrol ban add --for</c>: the lengths an operator writes (src/Cli/BanLength.cs, compiled in here), and the
/// ban verbs' command-line errors from the CLI process, none of which needs a database.
/// </summary>
public sealed class BanLengthTests
{
    private const string NoServer = "Host=127.0.0.1;Port=1";

    [Theory]
    [InlineData("90s", 0, 1, 30)]
    [InlineData("10m", 0, 10, 0)]
    [InlineData("2h", 2, 0, 0)]
    [InlineData("7d", 168, 0, 0)]
    [InlineData("00:30:00", 0, 30, 0)]
    [InlineData("1.00:00:00", 24, 0, 0)]
    [InlineData(" 5M ", 0, 5, 0)] // trimmed, and the unit in any case
    [InlineData("1s", 0, 0, 1)]
    public void A_length_is_a_count_with_a_unit_or_a_time_span(string text, int hours, int minutes, int seconds)
        => Assert.Equal(new TimeSpan(hours, minutes, seconds), BanLength.Parse(text));

    [Theory]
    [InlineData("junk")]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("5")]        // a count without a unit is not read as days, as TimeSpan.Parse would read it
    [InlineData("10")]
    [InlineData("10w")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("0s")]       // a ban of no length is no ban
    [InlineData("00:00:00")]
    [InlineData("-00:10:00")]
    [InlineData("1.5h")]
    [InlineData("99999999999999999d")] // longer than a TimeSpan holds: the usage, not an overflow's message
    [InlineData("9223372036854775807s")]
    public void Anything_else_is_a_usage_error_naming_the_option(string text)
    {
        var error = Assert.Throws<UsageException>(() => BanLength.Parse(text));

        Assert.Equal($"--for must be a positive length such as 90s, 10m, 2h, 7d or hh:mm:ss; got '{text}'.", error.Message);
    }

    [Fact]
    public void The_default_is_the_edges_default_ban_time()
        => Assert.Equal(TimeSpan.FromMinutes(10), BanLength.Default);

    [Theory]
    [InlineData("--for must be a positive length such as 90s, 10m, 2h, 7d or hh:mm:ss; got 'junk'.", "ban", "add", "--source", "192.0.2.7", "--for", "junk")]
    [InlineData("--source must be an IP address.", "ban", "add", "--source", "example.com")]
    [InlineData("--source is required.", "ban", "add")]
    [InlineData("--source is required.", "ban", "remove")]
    [InlineData("unknown command.", "ban")]
    public async Task A_wrong_ban_command_line_says_what_is_wrong_with_the_usage_and_exits_2(string message, params string[] arguments)
    {
        var (exit, lines) = await CliProcess.RunAsync([.. arguments, "--connection", NoServer], connection: "");

        Assert.Equal(2, exit);
        Assert.Equal(message, lines[0]);
        Assert.Equal("usage: callcontrol migrate", lines[1]);
    }

    [Theory]
    [InlineData("ban", "add", "--source", "192.0.2.7", "--for", "90s")]
    [InlineData("ban", "add", "--source", "2001:db8::7")]
    [InlineData("ban", "remove", "--source", "192.0.2.7")]
    [InlineData("ban", "list")]
    public async Task A_right_ban_command_line_goes_as_far_as_the_database(params string[] arguments)
    {
        var (exit, lines) = await CliProcess.RunAsync([.. arguments, "--connection", NoServer], connection: "");

        Assert.Equal(1, exit);
        Assert.StartsWith("database error:", lines[0], StringComparison.Ordinal);
    }
}
