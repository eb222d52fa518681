using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

// What the host logs of its own (what the call does is logged through CallEventLog).
public sealed partial class DialogGrain
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Call {CallId}: messages for edge {EdgeId} cannot be sent: no way to reach it is known")]
        public static partial void NoEdge(ILogger logger, string callId, string edgeId);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Call {CallId}: the route's flow '{Flow}' is not registered; refusing with 500")]
        public static partial void UnknownFlow(ILogger logger, string callId, string flow);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Call {CallId}: flow '{Flow}' failed")]
        public static partial void FlowFailed(ILogger logger, Exception exception, string callId, string flow);

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
