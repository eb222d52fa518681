using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>The operator's CLI (src/Cli, as built for these tests) run as a process.</summary>
internal static class CliProcess
{
    public static string Directory => Path.Combine(RepoPaths.Root, "src", "Cli", "bin", RepoPaths.Configuration, "net10.0");

    /// <summary>
    /// Runs the CLI with <paramref name="connection"/> as CallControl__Storage__ConnectionString ("": none); its exit
    /// code and its output and errors merged, as an operator's terminal shows them.
    /// </summary>
    public static async Task<(int Exit, string[] Lines)> RunAsync(string[] arguments, string connection)
    {
        var environment = new Dictionary<string, string> { ["CallControl__Storage__ConnectionString"] = connection };
        await using var process = ChildProcess.Start("dotnet", [Path.Combine(Directory, "CallControl.Cli.dll"), .. arguments], RepoPaths.Root, environment);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
