namespace CallControl.Grains.Cdr;

/// <summary>
/// Where CDRs go. Writes must be durable when the task completes, and idempotent by
/// <see cref="CallDetailRecord.CallId"/>: a retried end of call may write the same record again.
/// </summary>
public interface ICdrSink
{
    /// <summary>Writes one record durably.</summary>
    Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken);
}
