using CallControl.Calls;
using CallControl.Grains.Flows;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

/// <summary>What a call's machine reports, as the silo's logs and call metrics (meter <c>CallControl.Calls</c>).</summary>
internal sealed partial class CallEventLog(ILogger logger, CallMetrics metrics, string callId) : ICallEvents
{
    public void Started(string dialled, SipPeer source)
    {
        metrics.Attempts.Add(1);
        Log.CallStarted(logger, callId, dialled, source);
    }

    public void Routed() => metrics.Active.Add(1);

    public void Milestone(string milestone, TimeSpan sinceInvite)
        => metrics.Setup.Record(sinceInvite.TotalSeconds, new KeyValuePair<string, object?>("milestone", milestone));

    public void LegRinging(string target) => Log.LegRinging(logger, callId, target);

    public void Answered(string target) => Log.CallAnswered(logger, callId, target);

    public void LegUnreachable(string target, int status) => Log.CalleeUnreachable(logger, callId, target, status);

    public void BadTarget(string target) => Log.BadTarget(logger, callId, target);

    public void NextHop(string target, int status, string next) => Log.NextHop(logger, callId, target, status, next);

    public void Challenged(string target, string method, int status) => Log.Challenged(logger, callId, target, method, status);

    public void AuthenticationFailed(string target, string method, int status, bool refused)
    {
        if (refused)
        {
            Log.AuthenticationRefused(logger, callId, target, method, status);
        }
        else
        {
            Log.AuthenticationImpossible(logger, callId, target, method, status);
        }
    }

    public void SessionExpired(CallLeg side) => Log.SessionExpired(logger, callId, side);

    public void SessionRefresh(CallLeg side, string method) => Log.SessionRefresh(logger, callId, side, method);

    public void DialFailed(DialResult result, int status) => Log.DialFailed(logger, callId, result, status);

    public void NoAnswer() => Log.NoAnswer(logger, callId);

    public void MaxDuration() => Log.MaxDuration(logger, callId);

    public void AckTimeout() => Log.AckTimeout(logger, callId);

    public void RefusedForStoreOutage(int retryAfterSeconds) => Log.RefusedForStoreOutage(logger, callId, retryAfterSeconds);

    public void TransferAsked(TransferParty by, string target) => Log.TransferAsked(logger, callId, by, target);

    public void TransferRefused(int status) => Log.TransferRefused(logger, callId, status);

    public void Transferred(TransferParty by, string target) => Log.Transferred(logger, callId, by, target);

    public void TransferFailed(TransferParty by, int status) => Log.TransferFailed(logger, callId, by, status);

    public void Ended(CallDisposition disposition, int finalStatus, HangupParty hungUpBy, bool wasInProgress)
    {
        if (wasInProgress)
        {
            metrics.Active.Add(-1);
        }

        metrics.Final(finalStatus);
        Log.CallEnded(logger, callId, disposition, finalStatus, hungUpBy);
    }

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

        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId}: dial failed ({Result}, {Status}); asking the flow")]
        public static partial void DialFailed(ILogger logger, string callId, DialResult result, int status);

        [LoggerMessage(EventId = 2045, Level = LogLevel.Information, Message = "Call {CallId}: the {Side}'s session expired (RFC 4028); hanging up both legs")]
        public static partial void SessionExpired(ILogger logger, string callId, CallLeg side);

        [LoggerMessage(EventId = 2046, Level = LogLevel.Debug, Message = "Call {CallId}: refreshing the {Side}'s session with {Method}")]
        public static partial void SessionRefresh(ILogger logger, string callId, CallLeg side, string method);

        [LoggerMessage(EventId = 2044, Level = LogLevel.Information, Message = "Call {CallId}: {Target}'s server gave {Status}; trying its next server {Next} (RFC 3263)")]
        public static partial void NextHop(ILogger logger, string callId, string target, int status, string next);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Call {CallId}: target '{Target}' is not a SIP URI; skipped")]
        public static partial void BadTarget(ILogger logger, string callId, string target);

        [LoggerMessage(EventId = 2014, Level = LogLevel.Debug, Message = "Call {CallId}: {Target} rings")]
        public static partial void LegRinging(ILogger logger, string callId, string target);

        [LoggerMessage(EventId = 2040, Level = LogLevel.Debug, Message = "Call {CallId}: {Target} challenged the {Method} ({Status}); answering with the route's credentials")]
        public static partial void Challenged(ILogger logger, string callId, string target, string method, int status);

        [LoggerMessage(EventId = 2041, Level = LogLevel.Warning, Message = "Call {CallId}: {Target} refused the route's credentials for the {Method} ({Status} again)")]
        public static partial void AuthenticationRefused(ILogger logger, string callId, string target, string method, int status);

        [LoggerMessage(EventId = 2042, Level = LogLevel.Warning, Message = "Call {CallId}: {Target} challenged the {Method} ({Status}) and the route has no credentials that answer it")]
        public static partial void AuthenticationImpossible(ILogger logger, string callId, string target, string method, int status);

        [LoggerMessage(EventId = 2060, Level = LogLevel.Information, Message = "Call {CallId}: the {By} asks to transfer the call to {Target} (REFER)")]
        public static partial void TransferAsked(ILogger logger, string callId, TransferParty by, string target);

        [LoggerMessage(EventId = 2061, Level = LogLevel.Information, Message = "Call {CallId}: the flow refused the transfer ({Status})")]
        public static partial void TransferRefused(ILogger logger, string callId, int status);

        [LoggerMessage(EventId = 2062, Level = LogLevel.Information, Message = "Call {CallId}: transferred by the {By} to {Target}")]
        public static partial void Transferred(ILogger logger, string callId, TransferParty by, string target);

        [LoggerMessage(EventId = 2063, Level = LogLevel.Information, Message = "Call {CallId}: the {By}'s transfer failed ({Status}); the call goes on")]
        public static partial void TransferFailed(ILogger logger, string callId, TransferParty by, int status);

        [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Call {CallId}: the state store is unavailable; refusing the new call with 503 (Retry-After {RetryAfter} s)")]
        public static partial void RefusedForStoreOutage(ILogger logger, string callId, int retryAfter);
    }
}
