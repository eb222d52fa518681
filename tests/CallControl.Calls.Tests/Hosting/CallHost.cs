using System.Collections.Concurrent;
using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Calls.Tests;

/// <summary>
/// Hosts call machines in-process as the dialog grain does in a silo, without Orleans: the grain tests' router and
/// flows answer the machines' questions, CDRs are kept in order, saves are counted (and refused while
/// <see cref="StoreDown"/>), and the clock is a fake one that <see cref="TimerAsync"/> moves to a call's next deadline.
/// </summary>
public sealed class CallHost : IDisposable
{
    public const string Secret = "machine-tests-secret";

    private readonly ConcurrentDictionary<string, MachineCall> _calls = new(StringComparer.Ordinal);

    /// <summary>Ring timeout and maximum duration of 3 s, as in the grain tests' cluster; <paramref name="anchorMedia"/>: calls anchor media on <see cref="Media"/>.</summary>
    public CallHost(CallOptions? options = null, bool anchorMedia = false)
    {
        AnchorMedia = anchorMedia;
        Options = options ?? new CallOptions { RingTimeout = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(3) };
        var flows = new ServiceCollection().AddBuiltInCallFlows().AddCallFlow<TestHuntFlow>(TestHuntFlow.Name).AddCallFlow<TransferPolicyFlow>(TransferPolicyFlow.Name).BuildServiceProvider().GetRequiredService<CallFlowRegistry>();
        Flows = new CallFlowHost(flows, Time, grains: null, NullLogger.Instance);
        Router = new FailoverTestRouter(new DefaultTargetRouter(Microsoft.Extensions.Options.Options.Create(new RoutingOptions())));
    }

    public CallOptions Options { get; }

    /// <summary>Calls anchor their media (CallControl:Media:Mode anchor) on <see cref="Media"/>.</summary>
    public bool AnchorMedia { get; }

    /// <summary>The media relay every call's media questions go to.</summary>
    public FakeMediaRelay Media { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));

    public CallIdCodec CallIds { get; } = new(Secret);

    public ICallRouter Router { get; set; }

    /// <summary>When set, answers the calls' route questions in place of <see cref="Router"/> (a lookup that fails).</summary>
    public Func<SipUri, ValueTask<RouteDecision?>>? RouteOverride { get; set; }

    public CallFlowHost Flows { get; }

    /// <summary>Trunk credentials by route name, as the host's <see cref="IRouteCredentials"/> would find them.</summary>
    public ConcurrentDictionary<string, TrunkCredentials> Credentials { get; } = new(StringComparer.Ordinal);

    /// <summary>Every challenge the calls asked to answer, in order.</summary>
    public ConcurrentQueue<AuthQuestion> AuthQuestions { get; } = new();

    /// <summary>Every CDR written, in order.</summary>
    public ConcurrentQueue<CallDetailRecord> AllCdrs { get; } = new();

    /// <summary>While true, saves are refused as a stopped PostgreSQL would (they count as waiting for their retry).</summary>
    public bool StoreDown { get; set; }

    /// <summary>The CDRs of one call.</summary>
    public IReadOnlyList<CallDetailRecord> Cdrs(string callId) => [.. AllCdrs.Where(r => r.CallId == callId)];

    /// <summary>The call with this caller Call-ID (created on first use, like a grain).</summary>
    public MachineCall Call(string callId) => _calls.GetOrAdd(callId, id => new MachineCall(this, id));

    /// <summary>Moves the clock to the call's next deadline and fires its timer: what the timer sends.</summary>
    public Task<SipCommand[]> TimerAsync(string callId)
    {
        var call = Call(callId);
        var due = CallDeadlines.Next(call.State) ?? throw new InvalidOperationException($"Call {callId} has no deadline.");
        if (due > Time.GetUtcNow())
        {
            Time.SetUtcNow(due);
        }

        return call.RunAsync(TimerFired.Instance);
    }

    public void Dispose() => CallIds.Dispose();
}
