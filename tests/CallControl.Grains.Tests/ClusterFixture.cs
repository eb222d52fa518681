using System.Collections.Concurrent;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CallControl.Grains.Tests;

/// <summary>One in-process silo with in-memory state, the default router, and a CDR sink the tests read.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public const string Secret = "grain-tests-secret";

    private const string MemoryStorage = "dialogs-memory";

    private readonly IReadOnlyDictionary<string, string> _calls;
    private readonly TimeSpan? _collectionAge;

    /// <summary>Short call timers, so the timer tests are quick; the other tests finish well within them. Parking is left at its default.</summary>
    public ClusterFixture()
        : this(new Dictionary<string, string> { ["RingTimeout"] = "00:00:03", ["MaxDuration"] = "00:00:03" })
    {
    }

    /// <summary>A cluster with these <c>CallControl:Calls</c> settings, and optionally Orleans' idle collection after <paramref name="collectionAge"/>.</summary>
    protected ClusterFixture(IReadOnlyDictionary<string, string> calls, TimeSpan? collectionAge = null)
    {
        _calls = calls;
        _collectionAge = collectionAge;
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public RecordingCdrSink Cdrs { get; } = new();

    /// <summary>The registrar's subscribers (alice), which can be switched off as PostgreSQL's table would be.</summary>
    public TestSubscribers Subscribers { get; } = new();

    /// <summary>Switches the dialog storage (and, by hand, the CDR store) off and on.</summary>
    public StoreOutage Store { get; } = new();

    /// <summary>The silo's CDR outbox (in front of <see cref="Cdrs"/>).</summary>
    public CdrOutbox Outbox => SiloServices.GetRequiredService<CdrOutbox>();

    /// <summary>The silo's prepaid charges that wait for their account.</summary>
    public Flows.BuiltIn.PrepaidCharges PrepaidCharges => SiloServices.GetRequiredService<Flows.BuiltIn.PrepaidCharges>();

    private IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Silos[0]).SiloHost.Services;

    /// <summary>What the store behind the outage switch holds of a grain's state, read past the switch (and past the grain).</summary>
    public async Task<T> StoredAsync<T>(string stateName, GrainId grainId)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await SiloServices.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(MemoryStorage).ReadStateAsync(stateName, grainId, state);
        return state.State ?? new T();
    }

    public CallIdCodec CallIds { get; } = new(Secret);

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            // The dialogs' storage is memory behind a switch that can fail it like a stopped PostgreSQL.
            silo.AddMemoryGrainStorage(MemoryStorage).UseInMemoryReminderService();
            if (_collectionAge is { } age)
            {
                silo.Configure<Orleans.Configuration.GrainCollectionOptions>(o => (o.CollectionAge, o.CollectionQuantum) = (age, TimeSpan.FromSeconds(1)));
            }

            silo.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage>(GrainStorage.Dialogs, (sp, _) =>
                new SwitchableGrainStorage(sp.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(MemoryStorage), Store));
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            foreach (var (key, value) in _calls)
            {
                host.Configuration[$"{Dialogs.CallOptions.Section}:{key}"] = value;
            }

            host.Services.AddSingleton<ICdrSink>(Cdrs);
            host.Services.AddSingleton<Registrar.ISubscriberStore>(Subscribers);
            host.Services.AddOptions<Sip.Auth.DigestAuthOptions>().Configure(o => o.NonceSecret = new byte[32]);
            host.Services.AddSingleton<Routing.DefaultTargetRouter>();
            host.Services.AddSingleton<Routing.ICallRouter, FailoverTestRouter>();
            host.Services.AddSingleton(new CallIdCodec(Secret));
            host.Services.AddCallControlGrains(host.Configuration);
            host.Services.AddCallFlow<TestHuntFlow>(TestHuntFlow.Name);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        CallIds.Dispose();
    }
}

/// <summary>
/// Numbers starting with 2 have two trunks (5091, then 5092); numbers starting with 3 ring three phones at once
/// (5093, 5094, 5095); numbers starting with 6 are prepaid calls to the default target, charged to the caller's
/// number; everything else takes the default target.
/// </summary>
public sealed class FailoverTestRouter(Routing.DefaultTargetRouter fallback) : Routing.ICallRouter
{
    public static readonly string[] RingAllTargets = ["sip:desk@127.0.0.1:5093", "sip:mobile@127.0.0.1:5094", "sip:soft@127.0.0.1:5095"];

    public ValueTask<Routing.RouteDecision?> RouteAsync(Sip.Headers.SipUri dialled, Sip.Headers.SipUri caller, CancellationToken cancellationToken)
        => dialled.User?[0] switch
        {
            '2' => ValueTask.FromResult<Routing.RouteDecision?>(Routing.RouteDecision.Sequential([Sip.Headers.SipUri.Parse("sip:127.0.0.1:5091"), Sip.Headers.SipUri.Parse("sip:127.0.0.1:5092")], "two-trunks")),
            '3' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([.. RingAllTargets.Select(t => new Flows.DialTarget(t))], "ring-all") { Flow = Flows.BuiltIn.RingAllFlow.Name }),
            '4' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([new("sip:first@127.0.0.1:5096"), new("sip:second@127.0.0.1:5097")], "hunt") { Flow = TestHuntFlow.Name }),
            '5' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([], "moved") { Flow = TestHuntFlow.Name, FlowParameters = """{"redirect":"sip:elsewhere@192.0.2.7"}""" }),
            '6' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([], "prepaid") { Flow = Flows.BuiltIn.PrepaidFlow.Name, FlowParameters = """{"target":"sip:127.0.0.1:5090"}""" }),
            _ => fallback.RouteAsync(dialled, caller, cancellationToken),
        };
}

/// <summary>One subscriber: alice@example.com, password "wonderland" (stored as HA1 hashes only); while <see cref="Down"/>, unreadable.</summary>
public sealed class TestSubscribers : Registrar.ISubscriberStore
{
    public const string Password = "wonderland";

    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    public ValueTask<Registrar.SubscriberCredentials?> FindAsync(string username, string realm, CancellationToken cancellationToken)
        => Down ? ValueTask.FromException<Registrar.SubscriberCredentials?>(StoreOutage.Refused()) : ValueTask.FromResult(username == "alice" && realm == "example.com"
            ? new Registrar.SubscriberCredentials(username, realm,
                Sip.Auth.DigestCalculator.ComputeHa1(Sip.Auth.DigestAlgorithm.Md5, username, realm, Password),
                Sip.Auth.DigestCalculator.ComputeHa1(Sip.Auth.DigestAlgorithm.Sha256, username, realm, Password))
            : null);
}

/// <summary>Keeps every CDR written, in order; while <see cref="Down"/>, refuses them as a stopped PostgreSQL would.</summary>
public sealed class RecordingCdrSink : ICdrSink
{
    private readonly ConcurrentQueue<CallDetailRecord> _records = new();
    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    public IReadOnlyList<CallDetailRecord> For(string callId) => [.. _records.Where(r => r.CallId == callId)];

    public Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        if (Down)
        {
            return Task.FromException(StoreOutage.Refused());
        }

        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// A flow for the grain tests: rings the route's targets one after another for 1 s each (the grain's sequential
/// dial), then refuses with 486; with a "redirect" parameter it redirects instead.
/// </summary>
public sealed class TestHuntFlow : ICallFlow
{
    public const string Name = "test-hunt";

    public sealed record Parameters(string? Redirect = null);

    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
        => ValueTask.FromResult<FlowAction>(call.Parameters<Parameters>().Redirect is { } contact
            ? FlowAction.RedirectTo(contact)
            : FlowAction.Sequential(TimeSpan.FromSeconds(1), [.. call.RouteTargets]));

    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Refuse(486, "Nobody Home"));
}
