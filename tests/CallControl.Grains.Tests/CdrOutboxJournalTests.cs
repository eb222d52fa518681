using CallControl.Grains.Cdr;
using CallControl.Silo.Cdr;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Tests;

/// <summary>
/// The outbox with its journal, on real files: what it holds is on disk before the call's end completes, a successor
/// over the same folder writes what a dead outbox held, and a failing disk never fails an end.
/// </summary>
public sealed class CdrOutboxJournalTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RecordingLogger<CdrOutbox> _outboxLog = new();
    private readonly RecordingLogger<CdrJournal> _journalLog = new();

    public void Dispose() => _folder.Dispose();

    private CdrOutbox Outbox(ICdrSink store, string? journalPath = null)
        => new(store, [], new CdrJournal(journalPath ?? _folder.Path, _journalLog), _outboxLog);

    [Fact]
    public async Task A_held_cdr_is_on_disk_when_the_end_completes_and_leaves_the_journal_once_the_store_takes_it()
    {
        var store = new RecordingCdrSink { Down = true };
        using var outbox = Outbox(store);

        await outbox.WriteAsync(CdrOutboxTests.Cdr("a"), CancellationToken.None);
        await outbox.WriteAsync(CdrOutboxTests.Cdr("b"), CancellationToken.None); // queued behind "a": journaled too
        Assert.Equal(2, _folder.Files("*.cdr").Length);

        store.Down = false;
        await outbox.StoppedAsync(CancellationToken.None); // the graceful stop's flush: no background loop to wait for

        Assert.Single(store.For("a"));
        Assert.Single(store.For("b"));
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public async Task What_a_dead_outbox_held_is_written_by_the_next_one_over_the_same_folder()
    {
        var store = new RecordingCdrSink { Down = true };
        var dead = Outbox(store);
        await dead.WriteAsync(CdrOutboxTests.Cdr("held-at-death"), CancellationToken.None);
        dead.Dispose(); // no stop, no flush: as a SIGKILL leaves it

        store.Down = false;
        using var next = Outbox(store);
        await next.StartingAsync(CancellationToken.None); // the host's first step: the replay
        Assert.Equal(1, next.Pending);
        Assert.Single(_outboxLog.Messages(2206));
        await next.StoppedAsync(CancellationToken.None);

        Assert.Single(store.For("held-at-death"));
        Assert.Equal(0, next.Pending);
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public async Task A_journal_whose_disk_fails_neither_fails_nor_holds_up_the_end_and_the_cdr_is_still_held_in_memory()
    {
        var notAFolder = Path.Combine(_folder.Path, "a-file");
        await File.WriteAllTextAsync(notAFolder, "in the way");
        var store = new RecordingCdrSink { Down = true };
        using var outbox = Outbox(store, Path.Combine(notAFolder, "journal"));

        await outbox.WriteAsync(CdrOutboxTests.Cdr("c"), CancellationToken.None); // completes: the call can end

        Assert.Equal(1, outbox.Pending);
        Assert.Single(_journalLog.Messages(2211));
        store.Down = false;
        await outbox.StoppedAsync(CancellationToken.None);
        Assert.Single(store.For("c"));
        Assert.Empty(_outboxLog.Messages(2205));
    }

    [Fact]
    public async Task A_stop_with_the_store_still_down_keeps_the_journaled_cdrs_for_the_next_start_and_says_so()
    {
        var store = new RecordingCdrSink { Down = true };
        using var outbox = Outbox(store);
        await outbox.WriteAsync(CdrOutboxTests.Cdr("d"), CancellationToken.None);

        using var quick = new CancellationTokenSource();
        await quick.CancelAsync(); // the host's stop allows no time: what is left is reported at once
        await outbox.StoppedAsync(quick.Token);

        Assert.Single(_outboxLog.Messages(2207));
        Assert.Empty(_outboxLog.Messages(2205));
        Assert.Single(_folder.Files("*.cdr"));
    }

    [Fact]
    public async Task A_silo_host_replays_the_journal_at_start_up()
    {
        new CdrJournal(_folder.Path, _journalLog).Write(CdrOutboxTests.Cdr("from-the-predecessor"));
        var store = new SignallingCdrSink();
        using var host = Host(store, _folder.Path);

        await host.StartAsync(CancellationToken.None);
        var written = await store.Written.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.StopAsync(CancellationToken.None);

        Assert.Equal("from-the-predecessor", written.CallId);
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public async Task A_journal_path_that_is_a_file_stops_start_up_naming_the_key()
    {
        var file = Path.Combine(_folder.Path, "a-file");
        await File.WriteAllTextAsync(file, "");
        using var host = Host(new SignallingCdrSink(), file);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("CallControl:Cdr:JournalPath", failure.Message, StringComparison.Ordinal);
    }

    private static IHost Host(ICdrSink store, string journalPath)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration[$"{CdrJournalOptions.Section}:JournalPath"] = journalPath;
        builder.Services.AddLogging();
        builder.Services.AddSingleton(store);
        builder.Services.AddCdrOutbox();
        return builder.Build();
    }

    /// <summary>A store that takes every write and tells the test of the first.</summary>
    private sealed class SignallingCdrSink : ICdrSink
    {
        public TaskCompletionSource<CallDetailRecord> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
        {
            Written.TrySetResult(record);
            return Task.CompletedTask;
        }
    }
}
