using Microsoft.Extensions.Logging;

namespace CallControl.Silo.Cdr;

public sealed partial class CdrOutbox
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "CDR of call {CallId} not written ({Reason}); held in the outbox and retried")]
        public static partial void Held(ILogger logger, string callId, string reason);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "CDR store still unavailable; the outbox waits")]
        public static partial void StillDown(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "CDR of call {CallId}: the retried write failed; kept and retried")]
        public static partial void RetryFailed(ILogger logger, Exception exception, string callId);

        [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "CDR of call {CallId} written from the outbox")]
        public static partial void Written(ILogger logger, string callId);

        [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "Stopping with {Count} CDRs the store never took; they are lost: {CallIds}")]
        public static partial void LostAtStop(ILogger logger, int count, string callIds);

        [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Replayed {Count} CDRs from the journal {Directory} into the outbox; they are written once the store takes them")]
        public static partial void Replayed(ILogger logger, int count, string directory);

        [LoggerMessage(EventId = 2207, Level = LogLevel.Warning, Message = "Stopping with {Count} CDRs the store never took; kept in the journal {Directory} for the next start")]
        public static partial void KeptAtStop(ILogger logger, int count, string directory);
    }
}
