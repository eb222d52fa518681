using System.Threading.Channels;
using CallControl.Grains;

namespace CallControl.Grains.Tests;

/// <summary>
/// An edge's observer as a dead edge's looks to a grain: it records each batch it is handed, then fails it
/// (<see cref="Death.Throws"/>, a client that is gone) or never answers it (<see cref="Death.Hangs"/>, a client the
/// gateway still waits for).
/// </summary>
internal sealed class ScriptedEdgeObserver(ScriptedEdgeObserver.Death death) : IEdgeObserver
{
    public enum Death
    {
        Throws,
        Hangs,
    }

    private readonly Channel<SipCommand[]> _batches = Channel.CreateUnbounded<SipCommand[]>();
    private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next batch it was handed, or a timeout after 20 s.</summary>
    public Task<SipCommand[]> NextAsync() => _batches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>True when it was handed a batch no test has taken.</summary>
    public bool TryTake(out SipCommand[]? batch) => _batches.Reader.TryRead(out batch);

    public Task Send(SipCommand[] commands, string dialogKey)
    {
        _batches.Writer.TryWrite(commands);
        return death == Death.Throws ? Task.FromException(new InvalidOperationException("this edge is dead")) : _never.Task;
    }

    public Task<RelayedAnswer> Relay(SipCommand request, TimeSpan timeout)
        => death == Death.Throws ? Task.FromException<RelayedAnswer>(new InvalidOperationException("this edge is dead")) : new TaskCompletionSource<RelayedAnswer>().Task;
}
