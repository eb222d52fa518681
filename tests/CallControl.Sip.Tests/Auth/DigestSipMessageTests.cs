using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Tests.Messages;

namespace CallControl.Sip.Tests.Auth;

/// <summary>The exchange as a registrar sees it: a 401 with WWW-Authenticate lines, then a REGISTER with Authorization.</summary>
public sealed class DigestSipMessageTests
{
    [Fact]
    public void A_register_answering_our_401_authenticates()
    {
        var kit = new AuthTestKit();
        var challengeLines = string.Concat(kit.Challenger.CreateHeaderValues(AuthTestKit.Realm).Select(v => $"WWW-Authenticate: {v}\n"));
        var unauthorized = TestMessages.Parse($"""
            SIP/2.0 401 Unauthorized
            Via: SIP/2.0/UDP 192.0.2.33:5060;branch=z9hG4bK.1
            From: <sip:bob@example.com>;tag=f1
            To: <sip:bob@example.com>;tag=t1
            Call-ID: reg-1@192.0.2.33
            CSeq: 1 REGISTER
            {challengeLines}Content-Length: 0


            """);

        var challenges = unauthorized.GetChallenges(HeaderId.WwwAuthenticate);
        Assert.Equal(["MD5", "SHA-256"], challenges.Select(c => c.Algorithm));
        Assert.True(DigestClient.TryChoose(challenges, out var chosen));
        var answer = DigestClient.Answer(chosen, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);

        var register = TestMessages.Parse($"""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.33:5060;branch=z9hG4bK.2
            Max-Forwards: 70
            From: <sip:bob@example.com>;tag=f1
            To: <sip:bob@example.com>
            Call-ID: reg-1@192.0.2.33
            CSeq: 2 REGISTER
            Authorization: Digest username="bob", realm="elsewhere.example", nonce="x", uri="sip:example.com", response="00"
            Authorization: {answer.ToHeaderValue()}
            Content-Length: 0


            """);

        // The line for another realm is passed over (RFC 3261 §22.3); ours is found and verifies.
        Assert.True(register.TryGetCredentials(HeaderId.Authorization, AuthTestKit.Realm, out var credentials));
        Assert.Equal(answer, credentials);
        Assert.True(credentials.TryGetAlgorithm(out var algorithm));
        Assert.Equal(DigestVerdict.Ok, kit.Verifier.Verify(register.MethodName, credentials, AuthTestKit.Realm, AuthTestKit.StoredHa1(algorithm)));
    }
}
