using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

// What the host logs of its own (what the call does is logged through CallEventLog).
public sealed partial class DialogGrain
{
    private static partial class Log
    {
        // The user name and realm only: the password, the HA1 and the computed response never reach a log.
        [LoggerMessage(EventId = 2043, Level = LogLevel.Debug, Message = "Call {CallId}: answering a {Method} challenge with route {Route}'s credentials: user {Username}, realm {Realm}")]
        public static partial void TrunkAnswered(ILogger logger, string callId, string method, string route, string username, string realm);

        [LoggerMessage(EventId = 2016, Level = LogLevel.Debug, Message = "Call {CallId} parked: its activation goes until its next message or its maximum duration")]
        public static partial void Parked(ILogger logger, string callId);

        [LoggerMessage(EventId = 2017, Level = LogLevel.Debug, Message = "Call {CallId} woken from park")]
        public static partial void Unparked(ILogger logger, string callId);

        [LoggerMessage(EventId = 2018, Level = LogLevel.Warning, Message = "Call {CallId}: the stored state changed under the save that parks it; deactivating to re-read it")]
        public static partial void ParkConflict(ILogger logger, Exception exception, string callId);
    }
}
