using Microsoft.Extensions.Logging;

namespace CallControl.Silo.Cdr;

public sealed partial class CdrJournal
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2211, Level = LogLevel.Error, Message = "CDR of call {CallId} not journaled in {Directory}; held in memory only (lost if this silo dies before the store takes it)")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string callId, string directory);

        [LoggerMessage(EventId = 2212, Level = LogLevel.Error, Message = "CDR of call {CallId}: the journal write took over {Seconds} s in {Directory}; held in memory only")]
        public static partial void WriteSlow(ILogger logger, string callId, double seconds, string directory);

        [LoggerMessage(EventId = 2213, Level = LogLevel.Warning, Message = "CDR of call {CallId} is stored but its journal file in {Directory} could not be removed; the next start writes it once more (idempotent)")]
        public static partial void RemoveFailed(ILogger logger, Exception exception, string callId, string directory);

        [LoggerMessage(EventId = 2214, Level = LogLevel.Warning, Message = "Journal file {Path} was left half-written (never renamed, so never durable); removed")]
        public static partial void HalfWritten(ILogger logger, string path);

        [LoggerMessage(EventId = 2215, Level = LogLevel.Error, Message = "Journal file {Path} does not read back ({Problem}); skipped and renamed .corrupt for an operator")]
        public static partial void Corrupt(ILogger logger, string path, string problem);

        [LoggerMessage(EventId = 2216, Level = LogLevel.Error, Message = "Journal file {Path} cannot be read; skipped")]
        public static partial void ReadFailed(ILogger logger, Exception exception, string path);

        [LoggerMessage(EventId = 2217, Level = LogLevel.Error, Message = "The CDR journal {Directory} cannot be read; nothing replayed from it")]
        public static partial void ReplayFailed(ILogger logger, Exception exception, string directory);

        [LoggerMessage(EventId = 2218, Level = LogLevel.Warning, Message = "Could not clean up journal file {Path}")]
        public static partial void CleanupFailed(ILogger logger, Exception exception, string path);
    }
}
