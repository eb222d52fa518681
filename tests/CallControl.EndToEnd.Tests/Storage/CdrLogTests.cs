using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>The CDR log on a real PostgreSQL: written once per call, read by consumers that never skip.</summary>
public sealed class CdrLogTests(StoresFixture stores) : IClassFixture<StoresFixture>
{
    [Fact]
    public async Task Migrations_apply_once_and_again_change_nothing()
    {
        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), stores.FirstMigration);
        Assert.Empty(await new SchemaMigrator(stores.DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_cdr_written_twice_is_one_row()
    {
        var sink = new PostgresCdrSink(stores.DataSource);
        var record = Cdr($"twice-{Guid.NewGuid():N}");
        await sink.WriteAsync(record, CancellationToken.None);
        await sink.WriteAsync(record with { BillableSeconds = 99 }, CancellationToken.None);

        Assert.Equal(1L, await stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM cdr WHERE call_id = '{record.CallId}'"));
        Assert.Equal(record.BillableSeconds, await stores.Cluster.ScalarAsync<long>($"SELECT billable_seconds FROM cdr WHERE call_id = '{record.CallId}'"));
    }

    [Fact]
    public async Task A_transferred_calls_one_row_keeps_its_transfers_and_the_log_reads_them_back()
    {
        var transfer = new CallTransferRecord { At = new DateTimeOffset(2026, 12, 1, 12, 0, 30, TimeSpan.Zero), By = "callee", From = "sip:1000@127.0.0.1:5090", To = "sip:9000@127.0.0.1:5091" };
        var record = Cdr($"transferred-{Guid.NewGuid():N}") with { Transfers = [transfer] };
        var sink = new PostgresCdrSink(stores.DataSource);
        await sink.WriteAsync(record, CancellationToken.None);
        await sink.WriteAsync(record, CancellationToken.None); // a retried end: still one row

        Assert.Equal(1L, await stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM cdr WHERE call_id = '{record.CallId}'"));
        var stored = await stores.Cluster.ScalarAsync<string>($"SELECT transfers::text FROM cdr WHERE call_id = '{record.CallId}'");
        Assert.Equal([transfer], CdrJson.TransfersFromText(stored)!);
        var read = (await new CdrLog(stores.DataSource).ReadAsync(new CdrPosition(0, 0), 10_000, CancellationToken.None)).Single(e => e.Record.CallId == record.CallId);
        Assert.Equal([transfer], read.Record.Transfers!);
    }

    [Fact]
    public async Task A_consumer_never_skips_a_record_whose_writer_committed_after_a_later_one()
    {
        var log = new CdrLog(stores.DataSource);
        var consumer = $"skip-test-{Guid.NewGuid():N}";
        var start = await ReadAllAsync(log, consumer); // whatever other tests wrote
        var early = Cdr($"early-{Guid.NewGuid():N}");
        var late = Cdr($"late-{Guid.NewGuid():N}");

        // The early writer takes the lower id and transaction id, but commits last.
        await using var slow = await stores.DataSource.OpenConnectionAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        await InsertAsync(slow, early);
        await new PostgresCdrSink(stores.DataSource).WriteAsync(late, CancellationToken.None);

        // With the early writer still open, nothing past it may be read: "id > last seen" would hand out `late`
        // now and never `early`.
        Assert.DoesNotContain(await ReadAllAsync(log, consumer), e => e.Record.CallId == late.CallId);

        await slowTransaction.CommitAsync();
        var after = await ReadAllAsync(log, consumer);
        Assert.Equal([early.CallId, late.CallId], after.Where(e => e.Record.CallId == early.CallId || e.Record.CallId == late.CallId).Select(e => e.Record.CallId));
        Assert.Empty(await ReadAllAsync(log, consumer));
        Assert.NotNull(start);
    }

    [Fact]
    public async Task A_consumer_that_restarts_reads_on_from_its_checkpoint_with_no_loss_and_no_repeat()
    {
        var consumer = $"restart-{Guid.NewGuid():N}";
        await ReadAllAsync(new CdrLog(stores.DataSource), consumer);
        var sink = new PostgresCdrSink(stores.DataSource);
        var batch = $"restart-batch-{Guid.NewGuid():N}-";
        for (var i = 0; i < 3; i++)
        {
            await sink.WriteAsync(Cdr(batch + i), CancellationToken.None);
        }

        var first = await ReadAllAsync(new CdrLog(stores.DataSource), consumer);
        for (var i = 3; i < 5; i++)
        {
            await sink.WriteAsync(Cdr(batch + i), CancellationToken.None);
        }

        var second = await ReadAllAsync(new CdrLog(stores.DataSource), consumer); // a new reader: the restart

        Assert.Equal([batch + 0, batch + 1, batch + 2], first.Select(e => e.Record.CallId).Where(id => id.StartsWith(batch, StringComparison.Ordinal)));
        Assert.Equal([batch + 3, batch + 4], second.Select(e => e.Record.CallId).Where(id => id.StartsWith(batch, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_follower_is_woken_by_the_commit_not_by_its_poll()
    {
        var log = new CdrLog(stores.DataSource);
        var consumer = $"follow-{Guid.NewGuid():N}";
        await ReadAllAsync(log, consumer);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var record = Cdr($"follow-{Guid.NewGuid():N}");
        var seen = Task.Run(async () =>
        {
            await foreach (var entry in log.FollowAsync(consumer, poll: TimeSpan.FromMinutes(5), stop.Token))
            {
                if (entry.Record.CallId == record.CallId)
                {
                    return entry;
                }
            }

            return null;
        });

        await new PostgresCdrSink(stores.DataSource).WriteAsync(record, CancellationToken.None);

        var entry = await seen.WaitAsync(TimeSpan.FromSeconds(20)); // far sooner than the 5-minute poll
        Assert.Equal(record, entry!.Record);
        await stop.CancelAsync();
    }

    [Fact]
    public async Task The_cli_prints_unread_cdrs_as_json_lines_then_advances_the_checkpoint()
    {
        var consumer = $"cli-{Guid.NewGuid():N}";
        await ReadAllAsync(new CdrLog(stores.DataSource), consumer);
        var record = Cdr($"cli-{Guid.NewGuid():N}");
        await new PostgresCdrSink(stores.DataSource).WriteAsync(record, CancellationToken.None);

        var first = await CliAsync("cdr", "read", "--consumer", consumer);
        var second = await CliAsync("cdr", "read", "--consumer", consumer);

        var line = Assert.Single(first.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(record, CdrJson.FromUtf8(Encoding.UTF8.GetBytes(line)));
        Assert.Equal("", second.Trim());
    }

    [Fact]
    public async Task The_example_billing_consumer_sums_billable_seconds_per_caller()
    {
        var consumer = $"billing-{Guid.NewGuid():N}";
        var payer = $"sip:payer-{Guid.NewGuid():N}@example.com";
        var other = $"sip:other-{Guid.NewGuid():N}@example.com";
        var sink = new PostgresCdrSink(stores.DataSource);
        await sink.WriteAsync(Cdr($"bill-{Guid.NewGuid():N}") with { Caller = payer, BillableSeconds = 60 }, CancellationToken.None);
        await sink.WriteAsync(Cdr($"bill-{Guid.NewGuid():N}") with { Caller = payer, BillableSeconds = 15 }, CancellationToken.None);
        await sink.WriteAsync(Cdr($"bill-{Guid.NewGuid():N}") with { Caller = other, BillableSeconds = 7 }, CancellationToken.None);

        var example = Path.Combine(RepoPaths.Root, "examples", "BillingConsumer", "bin", RepoPaths.Configuration, "net10.0", "CallControl.Examples.BillingConsumer.dll");
        await using var process = ChildProcess.Start("dotnet", [example, "--consumer", consumer, "--once"], RepoPaths.Root, new Dictionary<string, string> { ["CallControl__Storage__ConnectionString"] = stores.Cluster.ConnectionString });
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var lines = process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"{payer}\t75", lines);
        Assert.Contains($"{other}\t7", lines);
    }

    [Fact]
    public async Task A_consumers_lag_is_the_age_of_its_oldest_unread_cdr_and_zero_once_it_has_read_everything()
    {
        var log = new CdrLog(stores.DataSource);
        var consumer = $"lag-{Guid.NewGuid():N}";
        await ReadAllAsync(log, consumer); // caught up with whatever other tests wrote
        var record = Cdr($"lag-{Guid.NewGuid():N}");
        await new PostgresCdrSink(stores.DataSource).WriteAsync(record, CancellationToken.None);
        await stores.Cluster.ScalarAsync<int>($"WITH u AS (UPDATE cdr SET written_at = now() - interval '1 hour' WHERE call_id = '{record.CallId}' RETURNING 1) SELECT count(*)::int FROM u");

        var behind = await CdrConsumerLag.ReadAsync(stores.DataSource, CancellationToken.None);
        Assert.InRange(behind[consumer], 3600, 3600 + 300);

        await ReadAllAsync(log, consumer);
        var caughtUp = await CdrConsumerLag.ReadAsync(stores.DataSource, CancellationToken.None);
        Assert.Equal(0, caughtUp[consumer]);
    }

    private async Task<string> CliAsync(params string[] arguments)
    {
        var cli = Path.Combine(RepoPaths.Root, "src", "Cli", "bin", RepoPaths.Configuration, "net10.0", "CallControl.Cli.dll");
        await using var process = ChildProcess.Start("dotnet", [cli, .. arguments], RepoPaths.Root, new Dictionary<string, string> { ["CallControl__Storage__ConnectionString"] = stores.Cluster.ConnectionString });
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return process.Output;
    }

    private static async Task<IReadOnlyList<CdrEntry>> ReadAllAsync(CdrLog log, string consumer)
    {
        var all = new List<CdrEntry>();
        while (true)
        {
            var batch = await log.ReadAsync(await log.CheckpointAsync(consumer, CancellationToken.None), 1000, CancellationToken.None);
            if (batch.Count == 0)
            {
                return all;
            }

            all.AddRange(batch);
            await log.CommitAsync(consumer, batch[^1].Position, CancellationToken.None);
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, CallDetailRecord record)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO cdr (call_id, caller, callee_dialled, invite_time, end_time, billable_seconds, disposition, final_status, hung_up_by, edge, silo)
            VALUES (@call_id, @caller, @dialled, @invite, @end, @billable, 'answered', 200, 'caller', @edge, @silo)
            """, connection);
        command.Parameters.AddWithValue("call_id", record.CallId);
        command.Parameters.AddWithValue("caller", record.Caller);
        command.Parameters.AddWithValue("dialled", record.CalleeDialled);
        command.Parameters.AddWithValue("invite", record.InviteTime);
        command.Parameters.AddWithValue("end", record.EndTime);
        command.Parameters.AddWithValue("billable", record.BillableSeconds);
        command.Parameters.AddWithValue("edge", record.Edge);
        command.Parameters.AddWithValue("silo", record.Silo);
        await command.ExecuteNonQueryAsync();
    }

    internal static CallDetailRecord Cdr(string callId)
    {
        var invite = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        return new CallDetailRecord
        {
            CallId = callId,
            Caller = "sip:alice@example.com",
            CalleeDialled = "sip:1000@example.com",
            CalleeRouted = "sip:1000@127.0.0.1:5090",
            InviteTime = invite,
            AnswerTime = invite.AddSeconds(2),
            EndTime = invite.AddSeconds(62),
            BillableSeconds = 60,
            Disposition = CallDisposition.Answered,
            FinalStatus = 200,
            HungUpBy = HangupParty.Caller,
            Route = "default",
            Edge = "edge-1",
            Silo = "silo-1",
        };
    }
}
