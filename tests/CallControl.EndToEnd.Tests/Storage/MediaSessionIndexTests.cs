using CallControl.Grains.Media;
using CallControl.Storage;
using CallControl.Storage.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// The media session index (docs/media.md, "When an rtpengine dies"), the same contract in memory and in PostgreSQL
/// (table media_sessions, with and without the batcher): a call is listed under its rtpengine until it moves or goes,
/// in Call-ID order, page by page.
/// </summary>
public sealed class MediaSessionIndexTests(StoresFixture stores) : IClassFixture<StoresFixture>, IDisposable
{
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    public static TheoryData<string> Kinds => ["memory", "postgres", "postgres-batched"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_call_is_listed_under_its_rtpengine_until_it_moves_or_goes(string kind)
    {
        await using var batcher = Batcher();
        var index = Index(kind, batcher);
        var (dead, other) = Engines();
        var calls = Enumerable.Range(0, 5).Select(i => $"index-{Guid.NewGuid():N}-{i}").Order(StringComparer.Ordinal).ToList();
        foreach (var call in calls)
        {
            await index.SetAsync(call, dead, CancellationToken.None);
        }

        await index.SetAsync(calls[1], other, CancellationToken.None); // its media moved
        await index.RemoveAsync(calls[3], CancellationToken.None); // it ended

        Assert.Equal([calls[0], calls[2], calls[4]], await index.ListAsync(dead, after: null, limit: 10, CancellationToken.None));
        Assert.Equal([calls[1]], await index.ListAsync(other, after: null, limit: 10, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_calls_of_an_rtpengine_come_page_by_page_in_call_id_order(string kind)
    {
        await using var batcher = Batcher();
        var index = Index(kind, batcher);
        var (engine, _) = Engines();
        var calls = Enumerable.Range(0, 7).Select(i => $"page-{i}-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(calls.Select(c => index.SetAsync(c, engine, CancellationToken.None)));

        var first = await index.ListAsync(engine, after: null, limit: 3, CancellationToken.None);
        var second = await index.ListAsync(engine, first[^1], 3, CancellationToken.None);
        var third = await index.ListAsync(engine, second[^1], 3, CancellationToken.None);

        Assert.Equal(calls.Order(StringComparer.Ordinal), first.Concat(second).Concat(third));
        Assert.Single(third);
        Assert.Empty(await index.ListAsync(engine, third[^1], 3, CancellationToken.None));
    }

    /// <summary>Addresses no other test uses: the PostgreSQL table is shared by the fixture's tests.</summary>
    private static (string, string) Engines()
    {
        var n = Random.Shared.Next(1, 250);
        return ($"127.0.{n}.1:2223", $"127.0.{n}.2:2223");
    }

    private IMediaSessionIndex Index(string kind, StatementBatcher batcher) => kind switch
    {
        "memory" => new MemoryMediaSessionIndex(),
        "postgres" => new PostgresMediaSessionIndex(stores.DataSource),
        _ => new PostgresMediaSessionIndex(stores.DataSource, batcher),
    };

    private StatementBatcher Batcher()
        => new(stores.DataSource, Options.Create(new BatchingOptions { Connections = 1, MaxStatements = 64 }), NullLogger<StatementBatcher>.Instance, _meters);
}
