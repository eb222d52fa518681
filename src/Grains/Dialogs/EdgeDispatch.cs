using CallControl.Calls;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// Which edge sends what of a call's messages. A message for a TCP or TLS connection must leave through the edge that
/// holds that connection (a registered phone's, or the caller's), whichever edge brought the event; the rest goes back
/// to the edge that called, or, for a timer, to the edge that carried the call, through its observer.
/// </summary>
internal sealed partial class EdgeDispatch(ILogger logger, string callId)
{
    /// <summary>
    /// Sends the commands bound to another edge's connection through that edge's observer, and returns the rest
    /// for <paramref name="carrier"/> (the edge whose call this is; null when unknown: then every connection-bound
    /// command goes through its holder).
    /// </summary>
    public async Task<SipCommand[]> SplitAsync(List<SipCommand> commands, EdgeInfo? carrier, DialogState state)
    {
        List<SipCommand>? returned = null;
        foreach (var command in commands)
        {
            var holder = command.Destination.ConnectionId != 0 ? command.Destination.EdgeId : null;
            if (holder is null || holder == carrier?.EdgeId)
            {
                (returned ??= new List<SipCommand>(commands.Count)).Add(command);
            }
            else
            {
                await SendThroughAsync(holder, [command], state);
            }
        }

        return returned is null ? [] : [.. returned];
    }

    /// <summary>Commands no edge asked for (a timer's): connection-bound ones through their holders, the rest through the edge that carried the call.</summary>
    public async Task SendAsync(List<SipCommand> commands, DialogState state)
    {
        var rest = await SplitAsync(commands, carrier: null, state);
        if (rest.Length > 0)
        {
            await SendThroughAsync(state.Edge?.EdgeId ?? "", rest, state);
        }
    }

    private async Task SendThroughAsync(string edgeId, SipCommand[] commands, DialogState state)
    {
        var observer = EdgeNamed(edgeId, state)?.Observer;
        if (observer is null)
        {
            Log.NoEdge(logger, callId, edgeId);
            return;
        }

        try
        {
            await observer.Send(commands, callId);
        }
#pragma warning disable CA1031 // An edge that is gone must not fail the call's turn; its messages are logged as lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EdgeSendFailed(logger, e, callId, edgeId);
        }
    }

    private static EdgeInfo? EdgeNamed(string edgeId, DialogState state)
        => state.Edge?.EdgeId == edgeId ? state.Edge : state.Legs.Find(l => l.Edge.EdgeId == edgeId)?.Edge;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Call {CallId}: messages for edge {EdgeId} cannot be sent: no way to reach it is known")]
        public static partial void NoEdge(ILogger logger, string callId, string edgeId);

        [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Call {CallId}: sending through edge {EdgeId} failed")]
        public static partial void EdgeSendFailed(ILogger logger, Exception exception, string callId, string edgeId);
    }
}
