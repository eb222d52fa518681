using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Routing;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// A route's SIP normalisation in the machine (docs/interop.md, "Header policy and number normalisation"): the callee
/// leg's INVITE, relayed in-dialog requests and responses relayed back carry the headers the policy lets cross and
/// lose the others; the Request-URI, From, To and P-Asserted-Identity are rewritten and normalised toward the callee.
/// </summary>
public sealed class HeaderPolicyCallTests : IDisposable
{
    private const string Uk = "0"; // PolicyRouter: a UK trunk's route
    private static readonly EdgeInfo Edge = new("edge-test", "127.0.0.1", 5060, 5060, 5061, null);

    private static readonly RoutePolicy UkPolicy = new()
    {
        Headers = new HeaderPolicy { Allow = ["P-Charging-Vector"], Deny = ["X-Internal-*", "Subject"] },
        Rewrite = new IdentityRewrite { FromUser = "01632960001", ToUser = "02079460000" },
        Numbers = [new NumberRule("0", "+44"), new NumberRule("00", "+")],
    };

    private const string CallerHeaders = """
        Diversion: <sip:01632960999@127.0.0.1>;reason=unconditional;counter=1
        History-Info: <sip:1000@127.0.0.1>;index=1
        X-Foo: bar
        X-Internal-Cost: 12
        Subject: secret project
        P-Charging-Vector: icid-value=abc
        User-Agent: sipp
        P-Asserted-Identity: <sip:01632960002@127.0.0.1>
        Privacy: none
        """;

    private readonly CallHost _calls = new();

    public HeaderPolicyCallTests() => _calls.Router = new PolicyRouter(_calls.Router);

    public void Dispose() => _calls.Dispose();

    private CallScript NewCall(string dialled, string headers = CallerHeaders)
        => new(_calls, $"policy-{Guid.NewGuid():N}@127.0.0.1", withOffer: true, dialled, headers.ReplaceLineEndings("\n"));

    [Fact]
    public async Task The_invite_to_the_trunk_keeps_diversion_history_info_and_x_headers_and_loses_denied_and_unlisted_ones()
    {
        var call = NewCall("02079460000");
        await call.InviteAsync();
        var invite = call.CalleeInvite!;

        Assert.Equal("<sip:01632960999@127.0.0.1>;reason=unconditional;counter=1", invite.GetHeader("Diversion"));
        Assert.Equal("<sip:1000@127.0.0.1>;index=1", invite.GetHeader("History-Info"));
        Assert.Equal("bar", invite.GetHeader("X-Foo"));
        Assert.Equal("icid-value=abc", invite.GetHeader("P-Charging-Vector")); // allowed
        Assert.Null(invite.GetHeader("X-Internal-Cost")); // denied by prefix
        Assert.Null(invite.GetHeader(HeaderId.Subject)); // a default, denied
        Assert.Null(invite.GetHeader(HeaderId.UserAgent)); // never listed
        Assert.Equal("none", invite.GetHeader(HeaderId.Privacy));
        Assert.Single(invite.GetHeaders(HeaderId.Via)); // ours alone
    }

    [Fact]
    public async Task The_request_uri_from_to_and_asserted_identity_are_rewritten_and_made_e164()
    {
        var call = NewCall("02079460000");
        await call.InviteAsync();
        var invite = call.CalleeInvite!;

        Assert.Equal("sip:+442079460000@127.0.0.1:5090", invite.RequestUri);
        Assert.Equal(("+441632960001", "Alice"), (invite.From.Uri.User, invite.From.DisplayName));
        Assert.Equal("+442079460000", invite.To.Uri.User);
        Assert.Equal("<sip:+441632960002@127.0.0.1>", invite.GetHeader(HeaderId.PAssertedIdentity));
    }

    [Fact]
    public async Task An_international_number_loses_its_00_and_the_leg_repeats_the_rewritten_identity_on_its_cancel()
    {
        var call = NewCall("0033142685300");
        await call.InviteAsync();
        Assert.Equal("sip:+33142685300@127.0.0.1:5090", call.CalleeInvite!.RequestUri);

        await call.CalleeRespondsAsync(180); // a CANCEL waits for a provisional (RFC 3261 §9.1)
        var cancel = CallScript.Parse((await call.CallerCancelsAsync()).Single(c => c.Kind == SipCommandKind.Request));
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(("+441632960001", "+442079460000"), (cancel.From.Uri.User, cancel.To.Uri.User));
    }

    [Fact]
    public async Task The_asserted_identity_can_be_the_froms_and_privacy_set_or_removed()
    {
        var asserted = NewCall("70001000");
        await asserted.InviteAsync();
        Assert.Equal(["<sip:+441632960001@127.0.0.1>"], asserted.CalleeInvite!.GetHeaders(HeaderId.PAssertedIdentity));
        Assert.Equal("id", asserted.CalleeInvite.GetHeader(HeaderId.Privacy));

        var removed = NewCall("71001000");
        await removed.InviteAsync();
        Assert.Null(removed.CalleeInvite!.GetHeader(HeaderId.Privacy));
        Assert.Equal("<sip:01632960002@127.0.0.1>", removed.CalleeInvite.GetHeader(HeaderId.PAssertedIdentity)); // crosses as it came: no number rules
    }

    [Fact]
    public async Task The_callees_answer_brings_its_x_headers_back_without_the_denied_ones_or_what_names_its_leg()
    {
        var call = NewCall("02079460000");
        await call.InviteAsync();

        var commands = await call.LegRespondsAsync(call.CalleeInvite!, 200, "bob-tag", "<sip:bob@127.0.0.1:5090>",
            ("X-Carrier-Ref", "77"), ("X-Internal-Route", "b"), ("Server", "carrier-sbc"), ("Record-Route", "<sip:10.9.9.9;lr>"), ("P-Charging-Vector", "icid-value=back"));
        var ok = CallScript.Parse(commands.Single(c => c.Kind == SipCommandKind.Respond));

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("77", ok.GetHeader("X-Carrier-Ref"));
        Assert.Equal("icid-value=back", ok.GetHeader("P-Charging-Vector"));
        Assert.Null(ok.GetHeader("X-Internal-Route"));
        Assert.Null(ok.GetHeader(HeaderId.Server));
        Assert.Null(ok.GetHeader(HeaderId.RecordRoute));
    }

    [Fact]
    public async Task Relayed_in_dialog_requests_and_their_responses_follow_the_policy_both_ways()
    {
        var call = NewCall("02079460000");
        var ok = await call.AnswerAsync();

        var info = CallScript.Parse(Assert.Single(await call.CallerSendsWithAsync("INFO", 2, ok.To.Tag!, "X-Digit: 5", "X-Internal-Trace: 1", "Record-Route: <sip:10.1.1.1;lr>")));
        Assert.Equal((SipMethod.Info, "5"), (info.Method, info.GetHeader("X-Digit")));
        Assert.Null(info.GetHeader("X-Internal-Trace"));
        Assert.Null(info.GetHeader(HeaderId.RecordRoute));

        var response = SipResponses.Create(info, 200).Add("X-Received", "yes").Add("X-Internal-Load", "3").ToArray();
        var back = CallScript.Parse(Assert.Single(await _calls.Call(call.CallId).OnResponse(new SipInbound(response, CallScript.Callee, Edge))));
        Assert.Equal((200, "yes"), (back.StatusCode, back.GetHeader("X-Received")));
        Assert.Null(back.GetHeader("X-Internal-Load"));
    }

    [Fact]
    public async Task A_call_without_a_policy_relays_diversion_history_info_and_x_headers_as_the_defaults_say()
    {
        var call = NewCall("1000");
        await call.InviteAsync();
        var invite = call.CalleeInvite!;

        Assert.Null(_calls.Call(call.CallId).State.Policy);
        Assert.Equal(("bar", "12", "secret project"), (invite.GetHeader("X-Foo"), invite.GetHeader("X-Internal-Cost"), invite.GetHeader(HeaderId.Subject)));
        Assert.NotNull(invite.GetHeader("Diversion"));
        Assert.NotNull(invite.GetHeader("History-Info"));
        Assert.Null(invite.GetHeader("P-Charging-Vector"));
        Assert.Equal("sip:1000@127.0.0.1:5090", invite.RequestUri);
        Assert.Equal("<sip:01632960002@127.0.0.1>", invite.GetHeader(HeaderId.PAssertedIdentity));
    }

    [Fact]
    public async Task A_targets_own_diversion_replaces_the_callers()
    {
        var call = NewCall("72001000");
        await call.InviteAsync();

        Assert.Equal(["<sip:1000@127.0.0.1>;reason=no-answer;counter=2"], call.CalleeInvite!.HeaderLines().Where(h => h.Name == "Diversion").Select(h => h.Value));
        Assert.Equal("bar", call.CalleeInvite.GetHeader("X-Foo"));
    }

    [Fact]
    public async Task The_policy_is_kept_in_the_calls_state_as_the_call_was_routed()
    {
        var call = NewCall("02079460000");
        await call.InviteAsync();

        Assert.Equal(UkPolicy, _calls.Call(call.CallId).State.Policy);
    }

    /// <summary>Routes 0… through the UK trunk's policy; 70… asserts the From with Privacy id; 71… removes Privacy; 72… a forward's target with its own Diversion; the rest as before.</summary>
    private sealed class PolicyRouter(ICallRouter fallback) : ICallRouter
    {
        public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
        {
            var trunk = SipUri.Parse("sip:127.0.0.1:5090");
            return dialled.User switch
            {
                ['0', ..] => Decide(new RouteDecision(trunk, "uk") { Policy = UkPolicy }),
                ['7', '0', ..] => Decide(new RouteDecision(trunk, "asserted") { Policy = UkPolicy with { Numbers = [], Rewrite = new IdentityRewrite { FromUser = "+441632960001", PAssertedIdentity = IdentityRewrite.FromIdentity, Privacy = "id" } } }),
                ['7', '1', ..] => Decide(new RouteDecision(trunk, "private") { Policy = new RoutePolicy { Rewrite = new IdentityRewrite { Privacy = IdentityRewrite.Remove } } }),
                ['7', '2', ..] => Decide(new RouteDecision([new DialTarget("sip:127.0.0.1:5090") { Headers = new Dictionary<string, string> { ["Diversion"] = "<sip:1000@127.0.0.1>;reason=no-answer;counter=2" } }], "forwarded")),
                _ => fallback.RouteAsync(dialled, caller, cancellationToken),
            };

            static ValueTask<RouteDecision?> Decide(RouteDecision decision) => ValueTask.FromResult<RouteDecision?>(decision);
        }
    }
}
