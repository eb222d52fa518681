using CallControl.Calls;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Dialogs;

// Which edge sends what. A message for a TCP or TLS connection must leave through the edge that holds that
// connection (a registered phone's, or the caller's), whichever edge brought us the event; the rest goes back to
// the edge that called, or, for a timer, to the edge that carried the call.
public sealed partial class DialogGrain
{
    /// <summary>
    /// Sends the commands bound to another edge's connection through that edge's observer, and returns the rest
    /// for <paramref name="carrier"/> (the edge whose call this is; null when unknown: then every connection-bound
    /// command goes through its holder).
    /// </summary>
    private async Task<SipCommand[]> DispatchAsync(List<SipCommand> commands, EdgeInfo? carrier)
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
                await SendThroughAsync(holder, [command]);
            }
        }

        return returned is null ? [] : [.. returned];
    }

    /// <summary>Commands a timer produced: out through the edge that carried the call.</summary>
    private async Task SendThroughEdgesAsync(SipCommand[] commands)
    {
        if (commands.Length > 0)
        {
            await SendThroughAsync(State.Edge?.EdgeId ?? "", commands);
        }
    }

    private async Task SendThroughAsync(string edgeId, SipCommand[] commands)
    {
        var observer = EdgeNamed(edgeId)?.Observer;
        if (observer is null)
        {
            Log.NoEdge(_logger, CallerCallId, edgeId);
            return;
        }

        try
        {
            await observer.Send(commands, CallerCallId);
        }
#pragma warning disable CA1031 // An edge that is gone must not fail the call's turn; its messages are logged as lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EdgeSendFailed(_logger, e, CallerCallId, edgeId);
        }
    }

    private EdgeInfo? EdgeNamed(string edgeId)
    {
        if (State.Edge?.EdgeId == edgeId)
        {
            return State.Edge;
        }

        return State.Legs.Find(l => l.Edge.EdgeId == edgeId)?.Edge;
    }
}
