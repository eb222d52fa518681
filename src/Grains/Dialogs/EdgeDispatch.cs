using CallControl.Calls;
using CallControl.Grains.Edges;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// Which edge sends what of a call's messages. A message for a TCP or TLS connection must leave through the edge that
/// holds that connection (a registered phone's, or the caller's), whichever edge brought the event; the rest goes back
/// to the edge that called, or, for a timer, to the edge that carried the call, through its observer, and when that
/// edge is dead through another live one (<see cref="IEdgeDirectory"/>): any edge can send a UDP message.
/// </summary>
internal sealed partial class EdgeDispatch(IGrainFactory grains, CallMetrics metrics, ILogger logger, string callId)
{
    /// <summary>
    /// How long one observer call (or the directory's answer) may take. A live edge answers in milliseconds; a call to
    /// a client that died waits for Orleans' response timeout (30 s) while the gateway still expects it back, and the
    /// call's turn would wait with it.
    /// </summary>
    internal static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Edges tried for one timer's messages before they count as lost: the call's own and two others.</summary>
    internal const int MostEdges = 3;

    /// <summary>
    /// Sends the commands bound to another edge's connection through that edge's observer, and returns the rest
    /// for <paramref name="carrier"/> (the edge whose call this is; null when unknown: then every connection-bound
    /// command goes through its holder).
    /// </summary>
    public async Task<SipCommand[]> SplitAsync(List<SipCommand> commands, EdgeInfo? carrier, DialogState state, CancellationToken cancellationToken = default)
    {
        List<SipCommand>? returned = null;
        foreach (var command in commands)
        {
            var holder = command.Destination.IsHeldByEdge ? command.Destination.EdgeId : null;
            if (holder is null || holder == carrier?.EdgeId)
            {
                (returned ??= new List<SipCommand>(commands.Count)).Add(command);
            }
            else if (await TrySendAsync(EdgeNamed(holder, state), [command], cancellationToken))
            {
                continue;
            }
            else if (command.Destination.ConnectionId == 0)
            {
                // A NATed UDP flow whose edge is gone: sent from another edge's socket, which a NAT that filters by
                // address lets in, and one that filters by port too does not, but nothing else can reach the phone.
                (returned ??= new List<SipCommand>(commands.Count)).Add(command);
            }
            else
            {
                // Only the holder has the connection: no other edge can send it.
                Log.Lost(logger, callId, 1, holder);
                metrics.Lost(1, "connection");
            }
        }

        return returned is null ? [] : [.. returned];
    }

    /// <summary>
    /// Commands no edge asked for (a timer's): connection-bound ones through their holders, the rest through the edge
    /// that carried the call while it lives, else through another live edge (<see cref="EdgeCandidates"/>).
    /// </summary>
    public async Task SendAsync(List<SipCommand> commands, DialogState state, CancellationToken cancellationToken)
    {
        var rest = await SplitAsync(commands, carrier: null, state, cancellationToken);
        if (rest.Length == 0)
        {
            return;
        }

        var own = state.Edge;
        var live = await LiveEdgesAsync(cancellationToken);
        foreach (var edge in EdgeCandidates.Order(own, live, StringComparer.Ordinal.GetHashCode(callId), MostEdges))
        {
            if (await TrySendAsync(edge, rest, cancellationToken))
            {
                if (edge.EdgeId != own?.EdgeId)
                {
                    Log.Rerouted(logger, callId, rest.Length, edge.EdgeId, own?.EdgeId ?? "");
                    metrics.Rerouted(rest.Length);
                }

                return;
            }

            if (live.Length > 0)
            {
                await ReportUnreachableAsync(edge, cancellationToken);
            }
        }

        Log.Lost(logger, callId, rest.Length, own?.EdgeId ?? "");
        metrics.Lost(rest.Length, "no_edge");
    }

    private async Task<EdgeInfo[]> LiveEdgesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key).LiveEdges().WaitAsync(AttemptTimeout, cancellationToken);
        }
#pragma warning disable CA1031 // Without the directory (its silo just died) the call's own edge is still tried, as before there was one.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.NoDirectory(logger, e, callId);
            return [];
        }
    }

    /// <summary>Tells the directory, so that the next call's messages do not wait on this edge too; best effort.</summary>
    private async Task ReportUnreachableAsync(EdgeInfo edge, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key).Unreachable(edge.EdgeId, edge.Observer!).WaitAsync(AttemptTimeout, cancellationToken);
        }
#pragma warning disable CA1031 // Only a shortcut: the directory forgets the edge anyway once its announcements stop.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.NoDirectory(logger, e, callId);
        }
    }

    /// <summary>One observer call, bounded by <see cref="AttemptTimeout"/>; false when the edge is unknown, failed or did not answer in time.</summary>
    private async Task<bool> TrySendAsync(EdgeInfo? edge, SipCommand[] commands, CancellationToken cancellationToken)
    {
        if (edge?.Observer is not { } observer)
        {
            Log.NoEdge(logger, callId, edge?.EdgeId ?? "");
            return false;
        }

        try
        {
            await observer.Send(commands, callId).WaitAsync(AttemptTimeout, cancellationToken);
            return true;
        }
#pragma warning disable CA1031 // An edge that is gone must not fail the call's turn: another is tried, or the messages are logged as lost.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Log.EdgeSendFailed(logger, e, callId, edge.EdgeId);
            return false;
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

        [LoggerMessage(EventId = 2019, Level = LogLevel.Information, Message = "Call {CallId}: {Count} timer messages sent through edge {EdgeId}: the call's edge {DeadEdgeId} is dead")]
        public static partial void Rerouted(ILogger logger, string callId, int count, string edgeId, string deadEdgeId);

        [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Call {CallId}: {Count} messages lost: edge {EdgeId} is dead and no other edge could send them")]
        public static partial void Lost(ILogger logger, string callId, int count, string edgeId);

        [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Call {CallId}: the edge directory did not answer (without it, only the call's own edge is tried)")]
        public static partial void NoDirectory(ILogger logger, Exception exception, string callId);
    }
}
