using System.Text;
using CallControl.Grains;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>The registrar: digest-authenticated REGISTERs add, refresh and remove an AOR's bindings (RFC 3261 §10.3).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrarTests(ClusterFixture cluster)
{
    private static readonly SipPeer Phone = new(SipTransportKind.Tcp, "127.0.0.1", 5080, ConnectionId: 7, EdgeId: "edge-test");
    private static readonly EdgeInfo Edge = new("edge-test", "127.0.0.1", 5060, 5060, 5061);

    [Fact]
    public async Task A_register_is_challenged_then_accepted_with_the_right_password_and_its_binding_kept()
    {
        var registrar = NewAor(out var aor);

        var challenge = Parse(await registrar.OnRegister(Register(aor, 1, "<sip:alice@127.0.0.1:5080;transport=tcp>", expires: 600)));
        Assert.Equal(401, challenge.StatusCode);
        var offered = challenge.GetChallenges(HeaderId.WwwAuthenticate);
        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], offered.Select(c => c.TryGetAlgorithm(out var a) ? a : DigestAlgorithm.Md5));

        var ok = Parse(await registrar.OnRegister(Register(aor, 2, "<sip:alice@127.0.0.1:5080;transport=tcp>", expires: 600, Answer(offered, TestSubscribers.Password, aor))));

        Assert.Equal(200, ok.StatusCode);
        var contact = Assert.Single(ok.Addresses(HeaderId.Contact));
        Assert.Equal("sip:alice@127.0.0.1:5080;transport=tcp", contact.Uri.ToString());
        Assert.InRange(int.Parse(contact.Parameters["expires"]!, System.Globalization.CultureInfo.InvariantCulture), 590, 600);
        var binding = Assert.Single(await registrar.GetBindings());
        Assert.Equal(7, binding.Source.ConnectionId); // a TCP binding remembers its connection and edge
        Assert.Equal("edge-test", binding.Source.EdgeId);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var registrar = NewAor(out var aor);
        var offered = Parse(await registrar.OnRegister(Register(aor, 1, "<sip:alice@127.0.0.1:5080>", 600))).GetChallenges(HeaderId.WwwAuthenticate);

        var refused = Parse(await registrar.OnRegister(Register(aor, 2, "<sip:alice@127.0.0.1:5080>", 600, Answer(offered, "not-the-password", aor))));

        Assert.Equal(403, refused.StatusCode);
        Assert.Empty(await registrar.GetBindings());
    }

    [Fact]
    public async Task Several_contacts_bind_expires_zero_removes_one_and_star_removes_all()
    {
        var registrar = NewAor(out var aor);
        var offered = Parse(await registrar.OnRegister(Register(aor, 1, "<sip:a@127.0.0.1:1>", 600))).GetChallenges(HeaderId.WwwAuthenticate);
        string Auth() => Answer(offered, TestSubscribers.Password, aor);

        Parse(await registrar.OnRegister(Register(aor, 2, "<sip:a@127.0.0.1:1>, <sip:b@127.0.0.1:2>;expires=300", 600, Auth())));
        Assert.Equal(2, (await registrar.GetBindings()).Length);

        Parse(await registrar.OnRegister(Register(aor, 3, "<sip:a@127.0.0.1:1>;expires=0", 600, Auth())));
        Assert.Equal("sip:b@127.0.0.1:2", Assert.Single(await registrar.GetBindings()).Contact);

        var tooBrief = Parse(await registrar.OnRegister(Register(aor, 4, "<sip:c@127.0.0.1:3>", 10, Auth())));
        Assert.Equal(423, tooBrief.StatusCode);
        Assert.Equal("60", tooBrief.GetHeader(HeaderId.MinExpires));

        var cleared = Parse(await registrar.OnRegister(Register(aor, 5, "*", 0, Auth())));
        Assert.Equal(200, cleared.StatusCode);
        Assert.Empty(await registrar.GetBindings());
    }

    private IRegistrarGrain NewAor(out string aor)
    {
        aor = "sip:alice@example.com";
        return cluster.Grains.GetGrain<IRegistrarGrain>($"{AddressOfRecord.Key(SipUri.Parse(aor))}#{Guid.NewGuid():N}");
    }

    private static string Answer(IEnumerable<DigestChallenge> challenges, string password, string aor)
    {
        Assert.True(DigestClient.TryChoose(challenges, out var chosen));
        return DigestClient.Answer(chosen, "alice", password, "REGISTER", "sip:example.com").ToHeaderValue();
    }

    private static SipInbound Register(string aor, uint cseq, string contact, int expires, string? authorization = null)
    {
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:example.com")
            .Add(HeaderId.Via, $"SIP/2.0/TCP 127.0.0.1:5080;branch=z9hG4bK-reg-{cseq}-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<{aor}>;tag=reg")
            .Add(HeaderId.To, $"<{aor}>")
            .Add(HeaderId.CallId, "register-alice@127.0.0.1")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, contact)
            .Add(HeaderId.Expires, expires);
        if (authorization is not null)
        {
            builder.Add(HeaderId.Authorization, authorization);
        }

        return new SipInbound(builder.ToArray(), Phone, Edge);
    }

    private static SipMessage Parse(SipCommand[] commands) => SipParser.ParseTrusted(Assert.Single(commands).Message);
}
