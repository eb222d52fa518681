using CallControl.Grains;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>The edge's side of <see cref="IEdgeObserver"/>: grain-initiated commands go out like returned ones.</summary>
internal sealed partial class EdgeObserver(CommandExecutor executor, Messages.MessageRelay messages, ILogger<EdgeObserver> logger, CancellationToken stopping) : IEdgeObserver
{
    // Another edge's relayed MESSAGE or OPTIONS for a connection or NATed flow this edge holds.
    public Task<RelayedAnswer> Relay(SipCommand request, TimeSpan timeout) => messages.SendHereAsync(request, timeout);

    public async Task Send(SipCommand[] commands, string dialogKey)
    {
        try
        {
            await executor.ExecuteAsync(commands, dialogKey, stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The grain's timer turn must not fail because one message could not go out; it is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SendFailed(logger, e, dialogKey);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4301, Level = LogLevel.Error, Message = "Call {DialogKey}: commands from the grain could not be sent")]
        public static partial void SendFailed(ILogger logger, Exception exception, string dialogKey);
    }
}
