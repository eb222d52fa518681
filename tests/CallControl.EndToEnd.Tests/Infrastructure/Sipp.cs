using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>Runs sipp (Debian's sip-tester) on loopback, each with ports of its own and a bounded run time.</summary>
internal static class Sipp
{
    /// <summary>Starts a callee on <paramref name="port"/> and returns once its socket is bound.</summary>
    public static Task<ChildProcess> StartCalleeAsync(string scenario, string transport, int port, int calls, string workDirectory)
        => StartCalleeAsync(scenario, transport, new IPEndPoint(IPAddress.Loopback, port), calls, workDirectory);

    /// <summary>Starts a callee on <paramref name="at"/> (another loopback address: the SDP then tells it from others) and returns once its socket is bound.</summary>
    public static async Task<ChildProcess> StartCalleeAsync(string scenario, string transport, IPEndPoint at, int calls, string workDirectory, params string[] extra)
    {
        var process = ChildProcess.Start(
            "sipp", [.. ScenarioArguments(scenario), .. Common(transport, at.Port, at.Address.ToString()), "-m", Text(calls), "-timeout", "60s", .. extra], workDirectory);
        await WaitUntilBoundAsync(at.Port, transport, process, at.AddressFamily);
        return process;
    }

    /// <summary>Runs a caller against the node to completion: exit code 0 means every call succeeded.</summary>
    public static Task<(int ExitCode, string Output)> RunCallerAsync(
        string scenario, string transport, int nodePort, int calls, int rate, string callIdPrefix, string workDirectory, params string[] extra)
        => RunCallerAsync(scenario, transport, new IPEndPoint(IPAddress.Loopback, nodePort), calls, rate, callIdPrefix, workDirectory, extra);

    /// <summary>
    /// Runs a caller against a node listening on <paramref name="node"/> (another address of the host, as a NAT test's
    /// edge), from a port of its own on that address, to completion: exit code 0 means every call succeeded.
    /// </summary>
    public static Task<(int ExitCode, string Output)> RunCallerAsync(
        string scenario, string transport, IPEndPoint node, int calls, int rate, string callIdPrefix, string workDirectory, params string[] extra)
        => RunCallerAsync(scenario, transport, node, node.Address, calls, rate, callIdPrefix, workDirectory, extra);

    /// <summary>Runs a caller from a port of its own on <paramref name="from"/> against a node on <paramref name="node"/>, to completion.</summary>
    public static async Task<(int ExitCode, string Output)> RunCallerAsync(
        string scenario, string transport, IPEndPoint node, IPAddress from, int calls, int rate, string callIdPrefix, string workDirectory, params string[] extra)
    {
        var port = FreePorts.Next();
        await using var process = ChildProcess.Start(
            "sipp",
            [.. ScenarioArguments(scenario), node.ToString(), .. Common(transport, port, from.ToString()),
             "-m", Text(calls), "-r", Text(rate), "-timeout", "60s", "-cid_str", callIdPrefix + "%u-%p@%s", .. extra],
            workDirectory);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        return (exit, process.Output);
    }

    private static string[] ScenarioArguments(string scenario)
        => scenario is "uac" or "uas" ? ["-sn", scenario] : ["-sf", RepoPaths.Scenario(scenario)];

    private static string[] Common(string transport, int port, string address = "127.0.0.1")
        =>
        [
            "-i", address, "-p", Text(port), "-t", transport == "tcp" ? "t1" : "u1",
            "-mp", Text(FreePorts.Block(4)), "-cp", Text(FreePorts.Next()),
            "-nostdin", "-timeout_error", "-trace_err",
        ];

    /// <summary>Waits (bounded) until sipp has bound its SIP socket, read from /proc/net: there is no event to await.</summary>
    internal static async Task WaitUntilBoundAsync(int port, string transport, ChildProcess process, AddressFamily family = AddressFamily.InterNetwork)
    {
        // IPv6 sockets are listed in tables of their own (/proc/net/udp6, tcp6).
        var table = (transport == "tcp" ? "/proc/net/tcp" : "/proc/net/udp") + (family == AddressFamily.InterNetworkV6 ? "6" : "");
        var hex = port.ToString("X4", CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (File.ReadLines(table).Skip(1).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].EndsWith(":" + hex, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"sipp did not bind {transport} port {port}. Output:\n{process.Output}");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
