using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallControl.Media.Ng;

/// <summary>The ng client's logs (event ids 4100-4119).</summary>
public sealed partial class NgClient
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "ng {Command} to {Address}: no reply in {TimeoutMs} ms, attempt {Attempt} of {Attempts} with the same cookie {Cookie}")]
    private static partial void LogRetransmit(ILogger logger, string command, NgAddress address, double timeoutMs, int attempt, int attempts, string cookie);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "ng {Command} to {Address}: no reply after {Attempts} attempt(s) of {TimeoutMs} ms")]
    private static partial void LogTimeout(ILogger logger, string command, NgAddress address, int attempts, double timeoutMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "ng {Command} to {Address}: error {Reason}")]
    private static partial void LogErrorReply(ILogger logger, string command, NgAddress address, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "ng {Command} to {Address}: malformed reply: {Problem}")]
    private static partial void LogMalformedReply(ILogger logger, string command, NgAddress address, string problem);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "ng datagram from {Source} dropped: {Why}")]
    private static partial void LogStrayReply(ILogger logger, IPEndPoint source, string why);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "ng receive failed ({Error}); receiving on")]
    private static partial void LogReceiveFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "ng {Command} to {Address}: send failed ({Error}); the attempt counts as lost")]
    private static partial void LogSendFailed(ILogger logger, string command, NgAddress address, SocketError error);
}
