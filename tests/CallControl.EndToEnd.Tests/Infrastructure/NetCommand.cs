using System.Diagnostics;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A short command (ip, nft, conntrack, kill) run to its end within a time bound: killed, and a
/// <see cref="TimeoutException"/>, when it does not finish in time.
/// </summary>
internal static class NetCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string fileName, IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(fileName, arguments)} did not finish within {timeout ?? DefaultTimeout}");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the command and fails, with its error output, unless it exits with 0.</summary>
    public static async Task<string> CheckAsync(string fileName, IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(fileName, arguments, input, timeout);
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{Describe(fileName, arguments)} exited with {result.ExitCode}: {result.Error.Trim()}");
    }

    private static string Describe(string fileName, IReadOnlyList<string> arguments) => $"'{fileName} {string.Join(' ', arguments)}'";
}
