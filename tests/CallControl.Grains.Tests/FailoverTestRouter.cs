namespace CallControl.Grains.Tests;

/// <summary>
/// Numbers starting with 2 have two trunks (5091, then 5092); numbers starting with 3 ring three phones at once
/// (5093, 5094, 5095); numbers starting with 6 are prepaid calls to the default target, charged to the caller's
/// number; numbers starting with 7 take the default target's address with SDES-SRTP media (a route whose media is
/// <c>srtp</c>); everything else takes the default target.
/// </summary>
public sealed class FailoverTestRouter(Routing.DefaultTargetRouter fallback) : Routing.ICallRouter
{
    public static readonly string[] RingAllTargets = ["sip:desk@127.0.0.1:5093", "sip:mobile@127.0.0.1:5094", "sip:soft@127.0.0.1:5095"];

    /// <summary>The servers DNS would give route 8's first target (RFC 3263: a UDP one, then a TCP one); its second has none.</summary>
    public static readonly SipPeer[] TrunkServers = [new(Sip.Transport.SipTransportKind.Udp, "127.0.0.1", 5098) { ServerName = "a.trunk.example" }, new(Sip.Transport.SipTransportKind.Tcp, "127.0.0.1", 5099) { ServerName = "b.trunk.example" }];

    public ValueTask<Routing.RouteDecision?> RouteAsync(Sip.Headers.SipUri dialled, Sip.Headers.SipUri caller, CancellationToken cancellationToken)
        => dialled.User?[0] switch
        {
            '2' => ValueTask.FromResult<Routing.RouteDecision?>(Routing.RouteDecision.Sequential([Sip.Headers.SipUri.Parse("sip:127.0.0.1:5091"), Sip.Headers.SipUri.Parse("sip:127.0.0.1:5092")], "two-trunks")),
            '3' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([.. RingAllTargets.Select(t => new Flows.DialTarget(t))], "ring-all") { Flow = Flows.BuiltIn.RingAllFlow.Name }),
            '4' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([new("sip:first@127.0.0.1:5096"), new("sip:second@127.0.0.1:5097")], "hunt") { Flow = TestHuntFlow.Name }),
            '5' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([], "moved") { Flow = TestHuntFlow.Name, FlowParameters = """{"redirect":"sip:elsewhere@192.0.2.7"}""" }),
            '6' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision([], "prepaid") { Flow = Flows.BuiltIn.PrepaidFlow.Name, FlowParameters = """{"target":"sip:127.0.0.1:5090"}""" }),
            '7' => ValueTask.FromResult<Routing.RouteDecision?>(new Routing.RouteDecision(Sip.Headers.SipUri.Parse("sip:127.0.0.1:5090"), "srtp-trunk") { Media = Routing.MediaProfile.Srtp }),
            '8' => ValueTask.FromResult<Routing.RouteDecision?>(Routing.RouteDecision.Sequential([Sip.Headers.SipUri.Parse("sip:trunk.example"), Sip.Headers.SipUri.Parse("sip:nowhere.example")], "dns-trunks") is var route
                ? route with { Targets = [route.Targets[0] with { Hops = TrunkServers }, route.Targets[1] with { Hops = [] }] }
                : null),
            _ => fallback.RouteAsync(dialled, caller, cancellationToken),
        };
}
