using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A node whose dial plan (CallControl:Routing:Routes) sends each number range through a shipped flow, with two sipp
/// callees A and B behind it. Each flow's ring timeouts are 2 s, and the node's own ring timeout 3 s.
/// </summary>
public sealed class FlowNodeFixture : IAsyncLifetime
{
    public int A { get; } = FreePorts.Next();

    public int B { get; } = FreePorts.Next();

    internal NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string a = $"sip:127.0.0.1:{A}", b = $"sip:127.0.0.1:{B}";
        (string Prefix, string Flow, string Parameters)[] routes =
        [
            ("61", "forward", $$"""{"target":"{{b}}","mode":"busyOrNoAnswer","original":"{{a}}","ringSeconds":2}"""),
            ("62", "hunt", $$"""{"targets":["{{a}}","{{b}}"],"ringSeconds":2}"""),
            ("63", "ring-group", $$"""{"targets":["{{a}}","{{b}}"],"ringSeconds":2}"""),
            ("64", "time-of-day", $$"""{"timeZone":"Europe/Berlin","rules":[{"from":"00:00","to":"24:00","target":"{{a}}"}]}"""),
            ("65", "screening", $$"""{"deny":["sipp"],"target":"{{a}}"}"""),
            ("66", "screening", $$"""{"allow":["sipp"],"target":"{{a}}"}"""),
            ("67", "prepaid", $$"""{"target":"{{a}}"}"""),
            ("68", "forward", $$"""{"target":"{{b}}","maxHops":1}"""),
            ("69", "prepaid", $$"""{"target":"{{a}}","account":"trial","openingSeconds":60}"""),
        ];
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers);
        for (var i = 0; i < routes.Length; i++)
        {
            var key = $"CallControl__Routing__Routes__{i.ToString(CultureInfo.InvariantCulture)}__";
            settings[key + "Name"] = $"{routes[i].Flow}-{routes[i].Prefix}";
            settings[key + "Prefix"] = routes[i].Prefix;
            settings[key + "Flow"] = routes[i].Flow;
            settings[key + "Parameters"] = routes[i].Parameters;
        }

        Node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", settings);
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }
    }
}

/// <summary>Every shipped flow end to end through a node: answered, busy and unanswered members, refusals.</summary>
public sealed class FlowNodeTests(FlowNodeFixture fixture) : IClassFixture<FlowNodeFixture>, IDisposable
{
    private const string Answers = "uas";
    private const string Busy = "busy-uas.xml";
    private const string RingsForever = "ring-forever-uas.xml"; // 180, then waits for the CANCEL
    private const string Rings = "cancel-uas.xml";               // 180, then waits for the CANCEL (30 s)
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-flows-").FullName;

    public static TheoryData<string, string, string?, string, CallDisposition, char?> Cases => new()
    {
        // number, callee A, callee B (null: none), caller scenario, disposition, who answered ('A', 'B', none)
        { "6100", Answers, null, "uac", CallDisposition.Answered, 'A' },              // forward: the original answers
        { "6101", Busy, Answers, "uac", CallDisposition.Answered, 'B' },              // forward on busy
        { "6102", RingsForever, Answers, "uac", CallDisposition.Answered, 'B' },      // forward on no answer (2 s)
        { "6200", Answers, null, "uac", CallDisposition.Answered, 'A' },              // hunt: first member answers
        { "6201", Busy, Answers, "uac", CallDisposition.Answered, 'B' },              // hunt: busy, next
        { "6202", RingsForever, Answers, "uac", CallDisposition.Answered, 'B' },      // hunt: no answer, next
        { "6300", Answers, Rings, "uac", CallDisposition.Answered, 'A' },             // ring group: A wins, B cancelled
        { "6301", Busy, Busy, "busy-uac.xml", CallDisposition.Busy, null },           // ring group: all busy
        { "6302", RingsForever, RingsForever, "noanswer-uac.xml", CallDisposition.NoAnswer, null }, // ring group: nobody
        { "6400", Answers, null, "uac", CallDisposition.Answered, 'A' },              // time of day: the rule's target
        { "6401", Busy, null, "busy-uac.xml", CallDisposition.Busy, null },
        { "6402", RingsForever, null, "noanswer-uac.xml", CallDisposition.NoAnswer, null },
        { "6500", null!, null, "refused-uac.xml", CallDisposition.Failed, null },     // screening: denied (603)
        { "6600", Answers, null, "uac", CallDisposition.Answered, 'A' },              // screening: allowed
        { "6601", Busy, null, "busy-uac.xml", CallDisposition.Busy, null },
        { "6700", null!, null, "refused-uac.xml", CallDisposition.Failed, null },     // prepaid: no balance (402)
        { "6900", Answers, null, "uac", CallDisposition.Answered, 'A' },              // prepaid: a trial balance
        { "6901", Busy, null, "busy-uac.xml", CallDisposition.Busy, null },
        { "6902", RingsForever, null, "noanswer-uac.xml", CallDisposition.NoAnswer, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_shipped_flow_routes_the_call(string number, string? calleeA, string? calleeB, string caller, CallDisposition disposition, char? answeredBy)
    {
        await using var a = calleeA is null ? null : await Sipp.StartCalleeAsync(calleeA, "udp", fixture.A, 1, _work);
        await using var b = calleeB is null ? null : await Sipp.StartCalleeAsync(calleeB, "udp", fixture.B, 1, _work);
        var prefix = $"flow-{number}-";

        var (exit, output) = await Sipp.RunCallerAsync(caller, "udp", fixture.Node.SipPort, 1, rate: 1, prefix, _work, "-s", number);

        Assert.True(exit == 0, $"caller: {output}\nnode: {fixture.Node.Output}");
        foreach (var callee in new[] { a, b })
        {
            if (callee is not null)
            {
                Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(40)));
            }
        }

        var cdr = Assert.Single(fixture.Node.CdrsFor(prefix));
        Assert.Equal(disposition, cdr.Disposition);
        if (answeredBy is { } who)
        {
            var port = who == 'A' ? fixture.A : fixture.B;
            Assert.EndsWith($":{port.ToString(CultureInfo.InvariantCulture)}", cdr.CalleeRouted, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
