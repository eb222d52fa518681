using System.Threading.Channels;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Storage;

/// <summary>
/// The embedded default's CDR store: one JSON line per call, appended by a single writer that batches
/// what is queued and flushes it to disk before completing the writers' tasks (group commit).
/// Idempotent by call id for the life of the process.
/// </summary>
public sealed partial class JsonLinesCdrSink : BackgroundService, ICdrSink
{
    private const int RememberedCallIds = 200_000;
    private readonly Channel<(CallDetailRecord Record, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(CallDetailRecord, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Queue<string> _writtenOrder = new();
    private readonly string _path;
    private readonly ILogger _logger;

    /// <summary>Creates the sink for the configured path (its directory is created on start).</summary>
    public JsonLinesCdrSink(IOptions<CdrOptions> options, ILogger<JsonLinesCdrSink> logger)
    {
        _path = Path.GetFullPath(options.Value.Path);
        _logger = logger;
    }

    /// <summary>The file CDRs are appended to.</summary>
    public string FilePath => _path;

    /// <inheritdoc />
    public Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((record, done)))
        {
            done.SetException(new InvalidOperationException("The CDR log is closed."));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        await using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
        Log.Opened(_logger, _path);
        var batch = new List<TaskCompletionSource>();
        var reader = _queue.Reader;
        try
        {
            // Keep draining after stop is requested until the queue is empty: a CDR accepted is a CDR written.
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (batch.Count < 1024 && reader.TryRead(out var item))
                {
                    if (Remember(item.Record.CallId))
                    {
                        await file.WriteAsync(CdrJson.ToUtf8(item.Record), CancellationToken.None).ConfigureAwait(false);
                        file.WriteByte((byte)'\n');
                    }

                    batch.Add(item.Done);
                }

                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                foreach (var done in batch)
                {
                    done.TrySetResult();
                }

                batch.Clear();
            }
        }
#pragma warning disable CA1031 // Whatever failed the write fails the waiting grains too; they retry.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.WriteFailed(_logger, e, _path);
            foreach (var done in batch)
            {
                done.TrySetException(e);
            }
        }
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    private bool Remember(string callId)
    {
        if (!_written.Add(callId))
        {
            return false;
        }

        _writtenOrder.Enqueue(callId);
        if (_writtenOrder.Count > RememberedCallIds)
        {
            _written.Remove(_writtenOrder.Dequeue());
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "CDRs are written to {Path}")]
        public static partial void Opened(ILogger logger, string path);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Writing CDRs to {Path} failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string path);
    }
}
