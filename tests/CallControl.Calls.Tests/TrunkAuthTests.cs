using CallControl.Grains;
using CallControl.Grains.Routing;
using CallControl.Grains.Tests;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// Outbound authentication (docs/interop.md, "Outbound authentication"): a trunk's 401 or 407 is answered once per
/// challenge with the route's credentials, on the INVITE and on the call's BYE; the caller never sees the challenge, and
/// a leg whose INVITE cannot be authenticated fails as 403.
/// </summary>
public sealed class TrunkAuthTests : IDisposable
{
    private const string Route = "default"; // every number but the test router's own prefixes (FailoverTestRouter)
    private const string Password = "s3cret-trunk-pw";
    private const string Md5Challenge = "Digest realm=\"trunk.example\", nonce=\"n-1\", qop=\"auth\", algorithm=MD5, opaque=\"op\"";
    private readonly CallHost _calls = new();

    public TrunkAuthTests() => _calls.Credentials[Route] = new TrunkCredentials("acme", Password, Ha1: null, Realm: null);

    public void Dispose() => _calls.Dispose();

    private CallScript NewCall() => new(_calls, $"trunk-auth-{Guid.NewGuid():N}@127.0.0.1");

    private static Task<SipCommand[]> ChallengeAsync(CallScript call, int status, string challenge)
        => call.LegRespondsAsync(call.CalleeInvite!, status, "trunk-tag", contact: null, (status == 407 ? "Proxy-Authenticate" : "WWW-Authenticate", challenge));

    [Fact]
    public async Task A_407_is_answered_with_the_invite_again_in_the_same_dialog_and_the_caller_hears_only_the_answer()
    {
        var call = NewCall();
        var first = call.TakeCalleeInvite(await call.InviteAsync());

        var retry = await ChallengeAsync(call, 407, Md5Challenge);

        var again = call.TakeCalleeInvite(retry); // one request and nothing to the caller
        Assert.Equal((first.CallId, first.From.Tag, first.RequestUri), (again.CallId, again.From.Tag, again.RequestUri));
        Assert.Equal(new CSeqHeader(2, SipMethod.Invite, "INVITE"), again.CSeq);
        Assert.NotEqual(first.TopVia.Branch, again.TopVia.Branch);
        Assert.Null(again.To.Tag);
        Assert.Equal(first.Body.ToArray(), again.Body.ToArray());
        var credentials = AuthorizationOf(again, HeaderId.ProxyAuthorization);
        Assert.Equal(("acme", "trunk.example", "n-1", "op", "00000001", "auth"), (credentials.Username, credentials.Realm, credentials.Nonce, credentials.Opaque, credentials.NonceCount, credentials.Qop));
        Assert.Equal(first.RequestUri, credentials.Uri);
        Assert.True(IsRight(credentials, DigestAlgorithm.Md5, "INVITE"));
        Assert.Empty(again.GetHeaders(HeaderId.Authorization));

        var answer = await call.CalleeRespondsAsync(200);

        Assert.Equal([SipCommandKind.Ack, SipCommandKind.Respond], answer.Select(c => c.Kind));
        Assert.Equal(2u, CallScript.Parse(answer[0]).CSeq.Number); // the ACK of the 2xx repeats its INVITE's CSeq
        Assert.Equal(200, CallScript.Parse(answer[1]).StatusCode);
        Assert.Contains($"Challenged {first.RequestUri} INVITE 407", _calls.Call(call.CallId).Events.Lines);
    }

    [Fact]
    public async Task A_401_with_sha_256_first_is_answered_in_authorization_with_sha_256()
    {
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());

        var retry = await call.LegRespondsAsync(call.CalleeInvite!, 401, "trunk-tag", contact: null,
            ("WWW-Authenticate", "Digest realm=\"trunk.example\", nonce=\"n-2\", qop=\"auth\", algorithm=SHA-256"),
            ("WWW-Authenticate", "Digest realm=\"trunk.example\", nonce=\"n-2\", qop=\"auth\", algorithm=MD5"));

        var credentials = AuthorizationOf(call.TakeCalleeInvite(retry), HeaderId.Authorization);
        Assert.Equal("SHA-256", credentials.Algorithm);
        Assert.True(IsRight(credentials, DigestAlgorithm.Sha256, "INVITE"));
    }

    [Fact]
    public async Task A_second_challenge_with_the_same_nonce_refuses_the_credentials_and_the_caller_gets_403()
    {
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());
        call.TakeCalleeInvite(await ChallengeAsync(call, 407, Md5Challenge));

        var refused = await ChallengeAsync(call, 407, Md5Challenge);

        var final = CallScript.Parse(Assert.Single(refused));
        Assert.Equal(403, final.StatusCode);
        Assert.Empty(final.GetHeaders(HeaderId.ProxyAuthenticate));
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal((CallDisposition.Failed, 403), (cdr.Disposition, cdr.FinalStatus));
        Assert.Contains(_calls.Call(call.CallId).Events.Lines, l => l.StartsWith("AuthenticationFailed", StringComparison.Ordinal) && l.EndsWith("refused", StringComparison.Ordinal));
        Assert.Single(_calls.AuthQuestions, q => q.Route == Route); // answered once
    }

    [Fact]
    public async Task A_stale_nonce_is_answered_again_with_the_new_one()
    {
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());
        call.TakeCalleeInvite(await ChallengeAsync(call, 407, Md5Challenge));

        var retry = await ChallengeAsync(call, 407, "Digest realm=\"trunk.example\", nonce=\"n-fresh\", qop=\"auth\", stale=true");

        var again = call.TakeCalleeInvite(retry);
        Assert.Equal(3u, again.CSeq.Number);
        Assert.Equal("n-fresh", AuthorizationOf(again, HeaderId.ProxyAuthorization).Nonce);
    }

    [Theory]
    [InlineData(null)] // the route has no credentials
    [InlineData("other.example")] // credentials for another realm
    public async Task A_challenge_the_route_cannot_answer_fails_the_leg_as_403(string? realm)
    {
        if (realm is null)
        {
            _calls.Credentials.TryRemove(Route, out _);
        }
        else
        {
            _calls.Credentials[Route] = new TrunkCredentials("acme", Password, null, realm);
        }

        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());

        var final = CallScript.Parse(Assert.Single(await ChallengeAsync(call, 407, Md5Challenge)));

        Assert.Equal(403, final.StatusCode);
        Assert.Contains(_calls.Call(call.CallId).Events.Lines, l => l.StartsWith("AuthenticationFailed", StringComparison.Ordinal) && l.EndsWith("unanswerable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_md5_ha1_answers_an_md5_challenge_of_its_realm_and_not_a_sha_256_one()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "acme", "trunk.example", Password);
        _calls.Credentials[Route] = new TrunkCredentials("acme", null, ha1, "trunk.example");
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());

        var answered = AuthorizationOf(call.TakeCalleeInvite(await ChallengeAsync(call, 407, Md5Challenge)), HeaderId.ProxyAuthorization);
        Assert.True(IsRight(answered, DigestAlgorithm.Md5, "INVITE"));

        var other = NewCall();
        other.TakeCalleeInvite(await other.InviteAsync());
        var final = await ChallengeAsync(other, 407, "Digest realm=\"trunk.example\", nonce=\"n-3\", qop=\"auth\", algorithm=SHA-256");
        Assert.Equal(403, CallScript.Parse(Assert.Single(final)).StatusCode);
    }

    [Fact]
    public async Task The_callers_cancel_after_the_retry_cancels_the_invite_that_was_sent_again()
    {
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());
        var again = call.TakeCalleeInvite(await ChallengeAsync(call, 407, Md5Challenge));
        await call.CalleeRespondsAsync(180);

        var cancelled = await call.CallerCancelsAsync();

        var cancel = CallScript.Parse(cancelled.Single(c => c.Kind == SipCommandKind.Request));
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(new CSeqHeader(2, SipMethod.Cancel, "CANCEL"), cancel.CSeq);
        Assert.Equal(again.TopVia.Branch, cancel.TopVia.Branch);
    }

    [Fact]
    public async Task A_challenged_bye_is_sent_again_with_credentials_once()
    {
        var call = NewCall();
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.CalleeRespondsAsync(200))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);

        var hangUp = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);
        var byeCommand = hangUp.Single(c => c.Kind == SipCommandKind.Request);
        Assert.Equal(SipCommandFlags.NoReport | SipCommandFlags.ReportChallenge, byeCommand.Flags);
        var bye = CallScript.Parse(byeCommand);

        var retried = Assert.Single(await call.CalleeAnswersAsync(bye, 401, challenge: Md5Challenge));

        var again = CallScript.Parse(retried);
        Assert.Equal(SipMethod.Bye, again.Method);
        Assert.Equal(bye.CSeq.Number + 1, again.CSeq.Number);
        Assert.Equal(retried.Flags, byeCommand.Flags);
        Assert.True(IsRight(AuthorizationOf(again, HeaderId.Authorization), DigestAlgorithm.Md5, "BYE"));

        Assert.Empty(await call.CalleeAnswersAsync(again, 401, challenge: Md5Challenge)); // refused: given up
        Assert.Single(_calls.Cdrs(call.CallId));
    }

    [Fact]
    public async Task A_challenged_re_invite_is_sent_again_with_credentials_and_its_answer_reaches_the_caller()
    {
        var call = NewCall();
        var ok = await call.AnswerAsync();
        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 2, ok.To.Tag!, body: "v=0\r\no=hold\r\n")));

        var again = CallScript.Parse(Assert.Single(await call.CalleeAnswersAsync(relayed, 407, challenge: Md5Challenge))); // nothing to the caller yet

        Assert.Equal((SipMethod.Invite, relayed.CSeq.Number + 1), (again.Method, again.CSeq.Number));
        Assert.Equal(relayed.Body.ToArray(), again.Body.ToArray());
        Assert.Equal(relayed.To.Tag, again.To.Tag);
        Assert.True(IsRight(AuthorizationOf(again, HeaderId.ProxyAuthorization), DigestAlgorithm.Md5, "INVITE"));

        var answered = await call.CalleeAnswersAsync(again, 200, body: "v=0\r\no=bob\r\n");

        var ack = CallScript.Parse(answered.Single(c => c.Kind == SipCommandKind.Ack));
        Assert.Equal(again.CSeq.Number, ack.CSeq.Number); // the ACK of the 2xx repeats the INVITE sent again
        var response = CallScript.Parse(answered.Single(c => c.Kind == SipCommandKind.Respond));
        Assert.Equal((200, 2u), (response.StatusCode, response.CSeq.Number)); // to the caller's own re-INVITE
    }

    [Fact]
    public async Task An_anchored_calls_challenged_re_invite_carries_the_relays_rewrite_again_without_asking_the_relay_twice()
    {
        using var anchored = new CallHost(anchorMedia: true);
        anchored.Credentials[Route] = new TrunkCredentials("acme", Password, Ha1: null, Realm: null);
        var call = new CallScript(anchored, $"trunk-auth-{Guid.NewGuid():N}@127.0.0.1");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.CalleeRespondsWithSdpAsync(200, "v=0\r\no=bob 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nm=audio 4000 RTP/AVP 0\r\n")).Single(c => c.Kind == SipCommandKind.Respond));
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 2, ok.To.Tag!, body: "v=0\r\no=hold\r\n")));
        var asked = anchored.Media.Requests.Count;

        var again = CallScript.Parse(Assert.Single(await call.CalleeAnswersAsync(relayed, 401, challenge: Md5Challenge)));

        Assert.Equal(relayed.Body.ToArray(), again.Body.ToArray()); // the relay's rewrite, not the caller's SDP
        Assert.NotEqual("v=0\r\no=hold\r\n", System.Text.Encoding.ASCII.GetString(again.Body.Span));
        Assert.Equal(asked, anchored.Media.Requests.Count);
        Assert.Single(again.GetHeaders(HeaderId.Authorization));
    }

    [Fact]
    public async Task A_relayed_request_whose_challenge_cannot_be_answered_gets_403_not_the_challenge()
    {
        var call = NewCall();
        var ok = await call.AnswerAsync();
        _calls.Credentials.TryRemove(Route, out _);
        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("UPDATE", 2, ok.To.Tag!, body: "v=0\r\no=upd\r\n")));

        var refused = CallScript.Parse(Assert.Single(await call.CalleeAnswersAsync(relayed, 401, challenge: Md5Challenge)));

        Assert.Equal((403, SipMethod.Update, 2u), (refused.StatusCode, refused.CSeq.Method, refused.CSeq.Number));
        Assert.Empty(refused.GetHeaders(HeaderId.WwwAuthenticate));
        Assert.Empty(_calls.Call(call.CallId).State.Relays);
    }

    [Fact]
    public async Task No_secret_reaches_the_calls_state_or_its_cdr()
    {
        var call = NewCall();
        call.TakeCalleeInvite(await call.InviteAsync());
        call.TakeCalleeInvite(await ChallengeAsync(call, 407, Md5Challenge));
        await call.CalleeRespondsAsync(486);

        var state = System.Text.Json.JsonSerializer.Serialize(_calls.Call(call.CallId).State);
        var cdr = System.Text.Json.JsonSerializer.Serialize(Assert.Single(_calls.Cdrs(call.CallId)));
        Assert.DoesNotContain(Password, state, StringComparison.Ordinal);
        Assert.DoesNotContain("response=", state, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, cdr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _calls.Credentials[Route].ToString(), StringComparison.Ordinal);
    }

    private static DigestCredentials AuthorizationOf(SipMessage request, HeaderId header)
    {
        Assert.True(DigestCredentials.TryParse(Assert.Single(request.GetHeaders(header)), out var credentials));
        return credentials;
    }

    private static bool IsRight(DigestCredentials credentials, DigestAlgorithm algorithm, string method)
        => credentials.Response == DigestCalculator.ComputeResponse(algorithm, DigestCalculator.ComputeHa1(algorithm, "acme", credentials.Realm, Password), method, credentials);
}
