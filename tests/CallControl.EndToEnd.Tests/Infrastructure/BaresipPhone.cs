using System.Globalization;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real baresip (Debian's baresip-core 1.0, on libre 1.1) as a phone: one account on the node, headless (a sine
/// tone as its microphone, no speaker), on a loopback UDP/TCP port of its own, with its SIP trace (<c>-s</c>) in
/// <see cref="Output"/>; commands on its standard input (the stdio module); stopped by its PID.
/// </summary>
internal sealed class BaresipPhone : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _process;
    private readonly string _directory;

    private BaresipPhone(ChildProcess process, string directory) => (_process, _directory) = (process, directory);

    public string Output => _process.Output;

    /// <summary>
    /// Starts baresip as <paramref name="user"/>@127.0.0.1, its account's domain the node (its registrar, and the server
    /// its calls go to), answering calls at once; <paramref name="register"/> false sends no REGISTER;
    /// <paramref name="commands"/> run at start (<c>/dial sip:…</c>). Returns once it is ready.
    /// </summary>
    public static async Task<BaresipPhone> StartAsync(string user, string password, int nodePort, bool register, params string[] commands)
    {
        var directory = Directory.CreateTempSubdirectory("callcontrol-baresip-").FullName;
        var (sipPort, rtpPort) = (FreePorts.Next(), FreePorts.Block(8));
        // net_interface picks the address baresip puts in Via, Contact and SDP ("lo" is not accepted, eth0 otherwise);
        // ausine makes only 48 kHz stereo, resampled to the call's 8 kHz (without ausrc_*, answering fails with ENOTSUP).
        File.WriteAllLines(Path.Combine(directory, "config"),
        [
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{Text(sipPort)}",
            "net_interface 127.0.0.1",
            $"rtp_ports {Text(rtpPort)}-{Text(rtpPort + 7)}",
            "audio_source ausine,440",
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "module_path /usr/lib/baresip/modules",
            "module stdio.so",
            "module g711.so",
            "module ausine.so",
            "module_app account.so",
            "module_app menu.so",
        ]);
        File.WriteAllText(
            Path.Combine(directory, "accounts"),
            $"<sip:{user}@127.0.0.1:{Text(nodePort)}>;auth_pass={password};answermode=auto;regint={(register ? "600" : "0")}\n");

        // stdio needs its standard input to be a pipe (ChildProcess's), not /dev/null: epoll refuses that.
        var process = ChildProcess.Start("baresip", ["-f", directory, "-s", .. commands.SelectMany(c => new[] { "-e", c })], directory);
        var phone = new BaresipPhone(process, directory);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("baresip is ready.", StringComparison.Ordinal), Timeout);
            return phone;
        }
        catch
        {
            await phone.DisposeAsync();
            throw;
        }
    }

    /// <summary>The outcome of its first REGISTER: "… 200 OK … [1 binding]" or the "reg: …" line of its failure.</summary>
    public Task<string> RegistrationAsync()
        => _process.WaitForLineAsync(l => l.Contains(" binding]", StringComparison.Ordinal) || l.Contains("reg: ", StringComparison.Ordinal), Timeout);

    /// <summary>Completes once a call (placed or answered) is established.</summary>
    public Task<string> CallEstablishedAsync() => _process.WaitForLineAsync(l => l.Contains("Call established: ", StringComparison.Ordinal), Timeout);

    /// <summary>Completes once its call has ended (by a BYE it received: "session closed: Connection reset by peer").</summary>
    public Task<string> CallClosedAsync() => _process.WaitForLineAsync(l => l.Contains(": session closed: ", StringComparison.Ordinal), Timeout);

    /// <summary>Completes once its call has ended, by whichever side: "Call with … terminated (duration: …)".</summary>
    public Task<string> CallTerminatedAsync() => _process.WaitForLineAsync(l => l.Contains(" terminated (duration: ", StringComparison.Ordinal), Timeout);

    /// <summary>Transfers its call blind to <paramref name="target"/> (the menu's /transfer: a REFER in the call's dialog).</summary>
    public Task TransferAsync(string target) => _process.WriteLineAsync($"/transfer {target}");

    /// <summary>Hangs up its call (the menu's /hangup, on its standard input).</summary>
    public Task HangUpAsync() => _process.WriteLineAsync("/hangup");

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
