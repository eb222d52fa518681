using System.Collections.Concurrent;

namespace CallControl.Edge.Routing;

/// <summary>
/// Keeps work for one key (a dialog) in the order it arrived, without holding up other keys: each turn waits for
/// the previous turn of its key only. Keys without work in flight take no memory.
/// </summary>
internal sealed class PerKeyOrder
{
    private readonly ConcurrentDictionary<string, Task> _tails = new(StringComparer.Ordinal);

    /// <summary>One piece of work's place in its key's line: wait for <see cref="Previous"/>, then <see cref="PerKeyOrder.Leave"/>.</summary>
    public readonly record struct Turn(Task Previous, TaskCompletionSource Done);

    /// <summary>Takes the next place in <paramref name="key"/>'s line. Call from the thread that receives, in arrival order.</summary>
    public Turn Enter(string key)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = Task.CompletedTask;
        _tails.AddOrUpdate(key, static (_, mine) => mine, (_, tail, mine) => { previous = tail; return mine; }, done.Task);
        return new Turn(previous, done);
    }

    /// <summary>Lets the next turn of <paramref name="key"/> go; forgets the key when nothing follows.</summary>
    public void Leave(string key, Turn turn)
    {
        turn.Done.TrySetResult();
        _tails.TryRemove(new KeyValuePair<string, Task>(key, turn.Done.Task));
    }
}
