using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

public sealed partial class DialogGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId}: {Target} failed ({Status}); trying the next target")]
        public static partial void Failover(ILogger logger, string callId, string target, int status);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Call {CallId}: no answer within the ring timeout")]
        public static partial void NoAnswer(ILogger logger, string callId);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Call {CallId}: maximum duration reached; hanging up both legs")]
        public static partial void MaxDuration(ILogger logger, string callId);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Call {CallId}: a timer fired but no edge is known to send its messages")]
        public static partial void NoEdge(ILogger logger, string callId);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Call {CallId} to {Dialled} from {Source}")]
        public static partial void CallStarted(ILogger logger, string callId, string dialled, SipPeer source);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Call {CallId} answered")]
        public static partial void CallAnswered(ILogger logger, string callId);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Call {CallId} ended: {Disposition} {Status}, hung up by {HungUpBy}")]
        public static partial void CallEnded(ILogger logger, string callId, CallDisposition disposition, int status, HangupParty hungUpBy);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Call {CallId}: callee unreachable ({Status})")]
        public static partial void CalleeUnreachable(ILogger logger, string callId, int status);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Call {CallId}: the caller never acknowledged the answer; ending both legs")]
        public static partial void AckTimeout(ILogger logger, string callId);
    }
}
