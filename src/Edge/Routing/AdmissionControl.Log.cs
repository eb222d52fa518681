using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

public sealed partial class AdmissionControl
{
    // State changes only: one line when refusing begins, one when it ends, never one per refused call.
    private static partial class Log
    {
        [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "SIP edge refusing new calls (503 Overloaded): the fastest grain call of the last {Interval} took {Fastest}, over the target {Target}")]
        public static partial void RefusingForLatency(ILogger logger, TimeSpan interval, TimeSpan fastest, TimeSpan target);

        [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "SIP edge refusing new calls (503 Overloaded): {Refused} refused in the last {Interval} at {MaxInFlight} grain calls in flight (now {InFlight})")]
        public static partial void RefusingForInFlight(ILogger logger, long refused, TimeSpan interval, int maxInFlight, int inFlight);

        [LoggerMessage(EventId = 4404, Level = LogLevel.Warning, Message = "SIP edge refusing new calls (503 Overloaded): the shortest wait of a new INVITE in the receive queue over the last {Interval} was {Shortest}, over the target {Target}")]
        public static partial void RefusingForQueue(ILogger logger, TimeSpan interval, TimeSpan shortest, TimeSpan target);

        [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "SIP edge admitting new calls again; {Refused} refused while it was refusing")]
        public static partial void Admitting(ILogger logger, long refused);
    }
}
