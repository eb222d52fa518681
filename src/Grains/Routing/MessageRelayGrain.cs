using CallControl.Calls;
using CallControl.Grains.Flows;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CallControl.Grains.Routing;

/// <summary>
/// <see cref="IMessageRelayGrain"/>: the same routing calls use (the registrar's bindings, then the dial plan, targets
/// located by DNS), decided in plain code (<see cref="MessagePlan"/>). A stateless worker: it keeps nothing between
/// messages, so each silo runs it locally and a message costs no activation placement, no directory entry, no store.
/// </summary>
[StatelessWorker]
[GrainType("cc-message-relay")]
public sealed partial class MessageRelayGrain(ICallRouter router, DialTargetLocator locator, ILogger<MessageRelayGrain> logger) : Grain, IMessageRelayGrain
{
    /// <summary>How long the edge directory may take to name the edge that holds a destination.</summary>
    private static readonly TimeSpan DirectoryTimeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<MessageRoute> Route(SipInbound inbound)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var request = SipParser.ParseTrusted(inbound.Message); // the edge parsed and screened it
        RouteDecision? route = null;
        if (request.MaxForwards != 0 && SipUri.TryParse(request.RequestUri, out var dialled))
        {
            route = await router.RouteAsync(dialled, request.From.Uri, CancellationToken.None);
            if (route is { Targets.Count: > 0 })
            {
                var located = await locator.LocateAsync(new Dial(route.Targets, DialMode.Sequential, RingTimeout: null), CancellationToken.None);
                route = route with { Targets = ((Dial)located).Targets };
            }
        }

        var plan = MessagePlan.For(request, inbound, route);
        Log.Routed(logger, request.MethodName, request.RequestUri, plan.Refusal is null ? plan.Requests.Length : 0, plan.Fork);
        return plan;
    }

    /// <inheritdoc />
    public async Task<RelayedAnswer> RelayThrough(SipCommand request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        var holderId = request.Destination.EdgeId;
        var edges = await GrainFactory.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key).LiveEdges().WaitAsync(DirectoryTimeout);
        if (Array.Find(edges, e => e.EdgeId == holderId) is not { Observer: { } holder })
        {
            // The edge holding the phone's connection or flow is gone: nothing else can reach it now (docs/nat.md,
            // "Edge death"); the phone registers again through another edge.
            Log.HolderGone(logger, holderId);
            return new RelayedAnswer(480);
        }

        return await holder.Relay(request, timeout);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2801, Level = LogLevel.Debug, Message = "{Method} to {RequestUri}: {Requests} request(s), fork {Fork}")]
        public static partial void Routed(ILogger logger, string method, string requestUri, int requests, bool fork);

        [LoggerMessage(EventId = 2802, Level = LogLevel.Information, Message = "A relayed message's destination is held by edge {EdgeId}, which is not live: 480")]
        public static partial void HolderGone(ILogger logger, string? edgeId);
    }
}
