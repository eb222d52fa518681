namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The configuration directory of a test's own fail2ban-server (../shared/design/ECOSYSTEM.md §1's recipe): Debian's
/// /etc/fail2ban copied without jail.d, the shipped filter, a file action, and one jail on the given log.
/// </summary>
internal static class Fail2BanConfig
{
    /// <summary>
    /// Appends `ban IP jail=J failures=N` and `unban IP jail=J` to its target. Unlike the stock dummy.conf, it does not
    /// delete its file when the jail stops (dummy's actionstop is `rm -f &lt;target&gt;`).
    /// </summary>
    private const string FileAction = """
        [Definition]
        actionstart = touch <target>
        actionstop =
        actioncheck =
        actionban = printf 'ban %%s jail=%%s failures=%%s\n' '<ip>' '<name>' '<failures>' >> <target>
        actionunban = printf 'unban %%s jail=%%s\n' '<ip>' '<name>' >> <target>

        [Init]
        name = default
        target = /dev/null

        """;

    public static void Write(string directory, string logPath, int maxRetry, TimeSpan findTime, TimeSpan banTime)
    {
        var conf = Path.Combine(directory, "conf");
        CopyWithoutJails(conf);
        File.Copy(Fail2Ban.ShippedFilter, Path.Combine(conf, "filter.d", "callcontrol.conf"), overwrite: true);
        File.WriteAllText(Path.Combine(conf, "action.d", "callcontrol-test-file.conf"), FileAction);
        File.WriteAllText(Path.Combine(conf, "fail2ban.local"), $"""
            [Definition]
            logtarget = STDOUT
            loglevel = INFO
            socket = {Path.Combine(directory, "f2b.sock")}
            pidfile = {Path.Combine(directory, "f2b.pid")}
            dbfile = :memory:
            allowipv6 = auto

            """);

        // The jail counts loopback sources too (ignoreself off, no ignoreip): the end-to-end edges' sources are
        // 127.0.0.x. The production jail ignores them.
        File.WriteAllText(Path.Combine(conf, "jail.d", "callcontrol-test.local"), $"""
            [{Fail2Ban.Jail}]
            enabled = true
            filter = callcontrol
            logpath = {logPath}
            logencoding = utf-8
            backend = polling
            usedns = no
            ignoreself = false
            ignoreip =
            maxretry = {maxRetry}
            findtime = {Fail2Ban.Seconds(findTime)}
            bantime = {Fail2Ban.Seconds(banTime)}
            action = callcontrol-test-file[target="{Path.Combine(directory, "actions.txt")}"]

            """);
    }

    /// <summary>Copies /etc/fail2ban to <paramref name="conf"/>, less jail.d's files (Debian's defaults-debian.conf enables an sshd jail).</summary>
    public static void CopyWithoutJails(string conf)
    {
        CopyDirectory("/etc/fail2ban", conf);
        foreach (var jail in System.IO.Directory.EnumerateFiles(Path.Combine(conf, "jail.d")))
        {
            File.Delete(jail);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in System.IO.Directory.EnumerateDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
