using System.Threading.Channels;
using CallControl.Grains;

namespace CallControl.Grains.Tests;

/// <summary>Stands in for an edge's observer: each batch of commands a grain sends on its own (a timer), in order.</summary>
internal sealed class RecordingEdgeObserver : IEdgeObserver
{
    private readonly Channel<SipCommand[]> _batches = Channel.CreateUnbounded<SipCommand[]>();

    /// <summary>The next batch, or a timeout after 20 s.</summary>
    public Task<SipCommand[]> NextAsync() => _batches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>True when a batch came that no test has taken.</summary>
    public bool TryTake(out SipCommand[]? batch) => _batches.Reader.TryRead(out batch);

    /// <summary>The requests other edges relayed through this one (<see cref="IEdgeObserver.Relay"/>), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<SipCommand> Relayed { get; } = new();

    /// <summary>What <see cref="Relay"/> answers.</summary>
    public RelayedAnswer RelayAnswer { get; set; } = new(200);

    public Task Send(SipCommand[] commands, string dialogKey)
    {
        _batches.Writer.TryWrite(commands);
        return Task.CompletedTask;
    }

    public Task<RelayedAnswer> Relay(SipCommand request, TimeSpan timeout)
    {
        Relayed.Enqueue(request);
        return Task.FromResult(RelayAnswer);
    }
}
