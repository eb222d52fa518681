using Npgsql;

namespace CallControl.Storage.Batching;

/// <summary>
/// One statement waiting for a round trip of the <see cref="StatementBatcher"/>: it builds its command (afresh for
/// each attempt, since a failed batch is retried one statement at a time), reads its own result set, and learns
/// only once the whole batch has committed whether it happened.
/// </summary>
/// <remarks>Every statement must return rows (a RETURNING clause at least), so each has exactly one result set.</remarks>
public abstract class BatchedStatement
{
    /// <summary>The command to add to a batch.</summary>
    public abstract NpgsqlBatchCommand CreateCommand();

    /// <summary>Reads this statement's result set (the reader is positioned on it); the batch has not committed yet.</summary>
    public abstract void Read(NpgsqlDataReader reader);

    /// <summary>The batch committed: hand over what <see cref="Read"/> kept.</summary>
    public abstract void Complete();

    /// <summary>The batch, or this statement, failed; nothing of it was written.</summary>
    public abstract void Fail(Exception exception);
}

/// <summary>A statement whose caller awaits one value read from its result set.</summary>
/// <typeparam name="T">What the caller gets.</typeparam>
public abstract class BatchedStatement<T> : BatchedStatement
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    /// <summary>Completes when the statement's batch has committed.</summary>
    public Task<T> Task => _done.Task;

    /// <summary>The value this statement's result set gives (the reader is on it, before its first row).</summary>
    protected abstract T ReadResult(NpgsqlDataReader reader);

    /// <inheritdoc />
    public sealed override void Read(NpgsqlDataReader reader) => _result = ReadResult(reader);

    /// <inheritdoc />
    public sealed override void Complete() => _done.TrySetResult(_result);

    /// <inheritdoc />
    public sealed override void Fail(Exception exception) => _done.TrySetException(exception);
}
