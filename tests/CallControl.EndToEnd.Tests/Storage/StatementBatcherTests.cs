using System.Diagnostics.Metrics;
using CallControl.Grains;
using CallControl.Storage;
using CallControl.Storage.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>The write batcher on a real PostgreSQL: statements that arrive together share round trips, all commit, a bad one fails alone.</summary>
public sealed class StatementBatcherTests(StoresFixture stores) : IClassFixture<StoresFixture>, IDisposable
{
    private readonly TestMeterFactory _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task Concurrent_cdrs_share_round_trips_and_every_one_is_written()
    {
        var sizes = new List<int>();
        using var listener = BatchSizes(sizes);
        var prefix = $"batched-{Guid.NewGuid():N}-";
        await using (var batcher = Batcher(connections: 2))
        {
            var sink = new PostgresCdrSink(stores.DataSource, batcher);
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => sink.WriteAsync(CdrLogTests.Cdr(prefix + i), CancellationToken.None)));
        }

        Assert.Equal(200L, await stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM cdr WHERE call_id LIKE '{prefix}%'"));
        lock (sizes)
        {
            Assert.Equal(200, sizes.Sum());
            Assert.True(sizes.Count < 200 && sizes.Max() > 1, $"batches: {string.Join(",", sizes)}");
            Assert.True(sizes.Max() <= 64, "no batch is larger than MaxStatements");
        }
    }

    [Fact]
    public async Task A_statement_that_fails_fails_alone_and_the_others_of_its_batch_are_written()
    {
        var prefix = $"split-{Guid.NewGuid():N}-";
        await using var batcher = Batcher(connections: 1);
        var sink = new PostgresCdrSink(stores.DataSource, batcher);
        var before = Enumerable.Range(0, 20).Select(i => sink.WriteAsync(CdrLogTests.Cdr(prefix + i), CancellationToken.None)).ToList();
        var bad = batcher.ExecuteAsync(new DivisionByZero());
        var after = Enumerable.Range(20, 20).Select(i => sink.WriteAsync(CdrLogTests.Cdr(prefix + i), CancellationToken.None)).ToList();

        var error = await Assert.ThrowsAsync<PostgresException>(() => bad);
        Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);
        await Task.WhenAll(before.Concat(after));
        Assert.Equal(40L, await stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM cdr WHERE call_id LIKE '{prefix}%'"));
    }

    [Fact]
    public async Task A_stopped_batcher_refuses_new_statements_and_has_written_what_it_took()
    {
        var batcher = Batcher(connections: 1);
        var sink = new PostgresCdrSink(stores.DataSource, batcher);
        var id = $"stopped-{Guid.NewGuid():N}";
        var queued = sink.WriteAsync(CdrLogTests.Cdr(id), CancellationToken.None);
        await batcher.DisposeAsync();

        await queued; // taken before the stop: written, not dropped
        await Assert.ThrowsAsync<ObjectDisposedException>(() => sink.WriteAsync(CdrLogTests.Cdr(id + "-late"), CancellationToken.None));
        Assert.Equal(1L, await stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM cdr WHERE call_id LIKE '{id}%'"));
    }

    private StatementBatcher Batcher(int connections)
        => new(stores.DataSource, Options.Create(new BatchingOptions { Connections = connections, MaxStatements = 64 }), NullLogger<StatementBatcher>.Instance, _meters);

    private static MeterListener BatchSizes(List<int> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "callcontrol.storage.batch.statements")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) =>
        {
            lock (sizes)
            {
                sizes.Add(value);
            }
        });
        listener.Start();
        return listener;
    }

    private sealed class DivisionByZero : BatchedStatement<int>
    {
        public override NpgsqlBatchCommand CreateCommand() => new("SELECT 1 / 0");

        protected override int ReadResult(NpgsqlDataReader reader) => reader.Read() ? reader.GetInt32(0) : 0;
    }
}
