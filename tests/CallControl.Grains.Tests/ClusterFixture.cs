using CallControl.Calls;
using System.Collections.Concurrent;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Silo.Cdr;
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
    private readonly int _silos;
    private readonly List<string> _journals = [];

    /// <summary>Short call timers, so the timer tests are quick; the other tests finish well within them. Parking is left at its default.</summary>
    public ClusterFixture()
        : this(new Dictionary<string, string> { ["RingTimeout"] = "00:00:03", ["MaxDuration"] = "00:00:03" })
    {
    }

    /// <summary>A cluster with these <c>CallControl:Calls</c> settings, and optionally Orleans' idle collection after <paramref name="collectionAge"/>.</summary>
    protected ClusterFixture(IReadOnlyDictionary<string, string> calls, TimeSpan? collectionAge = null, int silos = 1)
    {
        _calls = calls;
        _collectionAge = collectionAge;
        _silos = silos;
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

    /// <summary>The silo's media session index (in memory here).</summary>
    public Media.IMediaSessionIndex MediaSessions => SiloServices.GetRequiredService<Media.IMediaSessionIndex>();

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
        var builder = new InProcessTestClusterBuilder((short)_silos);
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
                host.Configuration[$"{CallOptions.Section}:{key}"] = value;
            }

            host.Services.AddSingleton<ICdrSink>(Cdrs);
            host.Services.AddSingleton<Registrar.ISubscriberStore>(Subscribers);
            host.Services.AddOptions<Sip.Auth.DigestAuthOptions>().Configure(o => o.NonceSecret = new byte[32]);
            host.Services.AddSingleton<Routing.DefaultTargetRouter>();
            host.Services.AddSingleton<Routing.ICallRouter, FailoverTestRouter>();
            host.Services.AddSingleton(new CallIdCodec(Secret));
            host.Services.AddCallControlGrains(host.Configuration);
            // Each silo's CDR journal in a folder of its own, removed at the end: nothing replays into a later run.
            var journal = Path.Combine(Path.GetTempPath(), "callcontrol-grains-journal-" + Guid.NewGuid().ToString("N"));
            lock (_journals)
            {
                _journals.Add(journal);
            }

            host.Configuration[$"{CdrJournalOptions.Section}:JournalPath"] = journal;
            host.Services.AddCdrOutbox();
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
        foreach (var journal in _journals.Where(Directory.Exists))
        {
            Directory.Delete(journal, recursive: true);
        }
    }
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

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
