using CallControl.Grains.Cdr;
using CallControl.Grains.Persistence;
using CallControl.Silo.Cdr;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace CallControl.Grains.Tests;

/// <summary>The silo's CDR outbox on its own: held while the store is down, written once when it is back.</summary>
public sealed class CdrOutboxTests
{
    internal static CallDetailRecord Cdr(string callId) => new()
    {
        CallId = callId,
        Caller = "sip:alice@127.0.0.1",
        CalleeDialled = "sip:1000@127.0.0.1",
        InviteTime = DateTimeOffset.UnixEpoch,
        EndTime = DateTimeOffset.UnixEpoch,
        Disposition = CallDisposition.Answered,
        BillableSeconds = 0,
        FinalStatus = 200,
        HungUpBy = HangupParty.Caller,
        Edge = "edge-test",
        Silo = "silo-test",
    };

    [Fact]
    public async Task A_cdr_the_store_refuses_is_held_and_written_exactly_once_when_the_store_is_back()
    {
        var store = new RecordingCdrSink { Down = true };
        using var outbox = new CdrOutbox(store, NullLogger<CdrOutbox>.Instance);
        await outbox.StartAsync(CancellationToken.None);

        await outbox.WriteAsync(Cdr("a"), CancellationToken.None); // completes: the call can end
        await outbox.WriteAsync(Cdr("a"), CancellationToken.None); // the same call's end again
        await outbox.WriteAsync(Cdr("b"), CancellationToken.None);
        Assert.Equal(2, outbox.Pending);

        store.Down = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (outbox.Pending > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox never emptied");
            await Task.Delay(50);
        }

        Assert.Single(store.For("a"));
        Assert.Single(store.For("b"));
        await outbox.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_graceful_stop_flushes_what_the_store_takes()
    {
        var store = new RecordingCdrSink { Down = true };
        using var outbox = new CdrOutbox(store, NullLogger<CdrOutbox>.Instance);
        await outbox.WriteAsync(Cdr("c"), CancellationToken.None); // no retry loop running: only the stop can write it
        store.Down = false;

        await outbox.StoppedAsync(CancellationToken.None);

        Assert.Equal(0, outbox.Pending);
        Assert.Single(store.For("c"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Store_failures_wrapped_by_orleans_are_outages_and_conflicts_are_not(bool outage)
    {
        Exception failure = outage
            ? new OrleansException("Error from storage provider AdoNetGrainStorage.dialog during WriteStateAsync", new InvalidOperationException("npgsql", StoreOutage.Refused()))
            : new InconsistentStateException("Version conflict (WriteState)", "3", "2");

        Assert.Equal(outage, StoreFailures.IsTransient(failure));
        Assert.False(StoreFailures.IsTransient(new OrleansException("bug", new ArgumentException("no"))));
    }

    [Fact]
    public void A_store_s_own_classifier_decides_its_errors_through_orleans_wrapping_and_never_overrules_a_conflict()
    {
        var classifiers = new IStoreFailureClassifier[] { new StoreGone() };
        var failure = new OrleansException("Error from storage provider", StoreGone.Failure());

        Assert.True(StoreFailures.IsTransient(failure, classifiers));
        Assert.True(StoreFailures.IsTransient(new AggregateException(StoreGone.Failure()), classifiers));
        Assert.False(StoreFailures.IsTransient(failure)); // without the store's classifier, its errors are not known outages
        Assert.False(StoreFailures.IsTransient(new InconsistentStateException("conflict", StoreGone.Failure()), classifiers));
    }

    /// <summary>A store whose driver says "gone" in a way only its own classifier knows.</summary>
    private sealed class StoreGone : IStoreFailureClassifier
    {
        private const string Gone = "store gone (test)";

        public static Exception Failure() => new InvalidOperationException(Gone);

        public bool IsOutage(Exception exception) => exception is InvalidOperationException { Message: Gone };
    }
}
