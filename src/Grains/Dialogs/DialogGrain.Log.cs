using CallControl.Calls;
using CallControl.Grains.Flows;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

public sealed partial class DialogGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Call {CallId} to {Dialled} from {Source}")]
        public static partial void CallStarted(ILogger logger, string callId, string dialled, SipPeer source);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Call {CallId} answered by {Target}")]
        public static partial void CallAnswered(ILogger logger, string callId, string target);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Call {CallId} ended: {Disposition} {Status}, hung up by {HungUpBy}")]
        public static partial void CallEnded(ILogger logger, string callId, CallDisposition disposition, int status, HangupParty hungUpBy);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Call {CallId}: {Target} unreachable ({Status})")]
        public static partial void CalleeUnreachable(ILogger logger, string callId, string target, int status);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Call {CallId}: the caller never acknowledged the answer; ending both legs")]
        public static partial void AckTimeout(ILogger logger, string callId);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Call {CallId}: no answer within the ring timeout")]
        public static partial void NoAnswer(ILogger logger, string callId);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Call {CallId}: maximum duration reached; hanging up both legs")]
        public static partial void MaxDuration(ILogger logger, string callId);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Call {CallId}: messages for edge {EdgeId} cannot be sent: no way to reach it is known")]
        public static partial void NoEdge(ILogger logger, string callId, string edgeId);

        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId}: dial failed ({Result}, {Status}); asking the flow")]
        public static partial void DialFailed(ILogger logger, string callId, DialResult result, int status);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Call {CallId}: target '{Target}' is not a SIP URI; skipped")]
        public static partial void BadTarget(ILogger logger, string callId, string target);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Call {CallId}: the route's flow '{Flow}' is not registered; refusing with 500")]
        public static partial void UnknownFlow(ILogger logger, string callId, string flow);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Call {CallId}: flow '{Flow}' failed")]
        public static partial void FlowFailed(ILogger logger, Exception exception, string callId, string flow);

        [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "Call {CallId}: {Target} rings")]
        public static partial void LegRinging(ILogger logger, string callId, string target);

        [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Call {CallId}: the state store is unavailable; refusing the new call with 503 (Retry-After {RetryAfter} s)")]
        public static partial void RefusedForStoreOutage(ILogger logger, string callId, int retryAfter);

        [LoggerMessage(EventId = 2016, Level = LogLevel.Debug, Message = "Call {CallId} parked: its activation goes until its next message or its maximum duration")]
        public static partial void Parked(ILogger logger, string callId);

        [LoggerMessage(EventId = 2017, Level = LogLevel.Debug, Message = "Call {CallId} woken from park")]
        public static partial void Unparked(ILogger logger, string callId);

        [LoggerMessage(EventId = 2018, Level = LogLevel.Warning, Message = "Call {CallId}: the stored state changed under the save that parks it; deactivating to re-read it")]
        public static partial void ParkConflict(ILogger logger, Exception exception, string callId);

        [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Call {CallId}: sending through edge {EdgeId} failed")]
        public static partial void EdgeSendFailed(ILogger logger, Exception exception, string callId, string edgeId);
    }
}
