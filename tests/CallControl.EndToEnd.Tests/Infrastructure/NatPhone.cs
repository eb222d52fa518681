using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A phone behind a <see cref="NatRouter"/>: one sipp in the phone's namespace (Scenarios/nat-phone-uac.xml, with
/// nat-phone-ooc.xml for what the phone did not start). It registers its private address (Via and Contact
/// 10.250.N.2:5060, the realm and domain the registrar's address) with digest, answers every OPTIONS (the edge's
/// keep-alives) and one call (180, 200, the ACK, the BYE), then exits: 0 only if the registration and the call both
/// succeeded. It prints a line for each step ("nat-phone ..."), which is what the test waits for and counts.
/// </summary>
internal sealed class NatPhone : IAsyncDisposable
{
    /// <summary>The phone's own port, in its Contact and Via (outside <see cref="NatRouter.PublicPorts"/>).</summary>
    public const int Port = 5060;

    /// <summary>How long the phone lives at most; past it, sipp stops and fails (-timeout with -timeout_error).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private const string Registered = "nat-phone registered: ";
    private const string KeepAlive = "nat-phone answered a keep-alive";
    private const string Answered = "nat-phone answered a call";

    private readonly ChildProcess _sipp;

    private NatPhone(ChildProcess sipp, string contact)
    {
        _sipp = sipp;
        Contact = contact;
    }

    /// <summary>The Contact the phone registers, as it writes it: its private address and port.</summary>
    public string Contact { get; }

    /// <summary>How many OPTIONS (keep-alives) the phone has answered so far.</summary>
    public int KeepAlivesAnswered => Lines(KeepAlive);

    /// <summary>How many calls the phone has answered and hung up so far (at most one).</summary>
    public int CallsAnswered => Lines(Answered);

    public string Output => _sipp.Output;

    /// <summary>Starts the phone toward the registrar (an edge on <see cref="NatRouter.HostAddress"/>) as <paramref name="user"/>.</summary>
    public static NatPhone Start(NatRouter nat, string transport, IPEndPoint registrar, string user, string password, string workDirectory)
    {
        var sipp = nat.RunInPhone(
            "sipp",
            [
                "-sf", RepoPaths.Scenario("nat-phone-uac.xml"), "-oocsf", RepoPaths.Scenario("nat-phone-ooc.xml"), registrar.ToString(),
                "-i", nat.PhoneAddress.ToString(), "-p", Port.ToString(CultureInfo.InvariantCulture), "-t", transport == "tcp" ? "t1" : "u1",
                "-s", user, "-au", user, "-ap", password, "-aa", "-m", "1",

                // No "dead calls": sipp keeps an ended call's Call-ID 33 s by default and swallows, unanswered, what
                // comes with it, so every keep-alive after the first of an edge (one Call-ID per flow, CSeq counting)
                // would go unanswered and the edge would count the flow dead.
                "-deadcall_wait", "0",
                "-nostdin", "-timeout", $"{(int)Lifetime.TotalSeconds}s", "-timeout_error", "-trace_err",
            ],
            workDirectory);
        return new NatPhone(sipp, $"sip:{user}@{nat.PhoneAddress}:{Port};transport={transport.ToUpperInvariant()}");
    }

    /// <summary>Waits until the phone's REGISTER got its 200; returns the Contact header(s) the 200 listed.</summary>
    public async Task<string> WaitForRegisteredAsync(TimeSpan timeout) =>
        (await _sipp.WaitForLineAsync(l => l.StartsWith(Registered, StringComparison.Ordinal), timeout))[Registered.Length..];

    /// <summary>Waits for sipp to end (kills it, and fails, past <paramref name="timeout"/>); 0: registered and answered a call.</summary>
    public Task<int> WaitForExitAsync(TimeSpan timeout) => _sipp.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _sipp.DisposeAsync();

    private int Lines(string text) => _sipp.Output.Split('\n').Count(l => l == text);
}
