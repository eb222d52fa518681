using CallControl.Grains;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using static CallControl.Grains.Tests.RegisterRequests;

namespace CallControl.Grains.Tests;

/// <summary>The registrar: digest-authenticated REGISTERs add, refresh and remove an AOR's bindings (RFC 3261 §10.3).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrarTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_register_is_challenged_then_accepted_with_the_right_password_and_its_binding_kept()
    {
        var registrar = NewAor(out var aor);

        var challenge = Parse(await registrar.OnRegister(Register(aor, 1, "<sip:alice@127.0.0.1:5080;transport=tcp>", expires: 600)));
        Assert.Equal(401, challenge.StatusCode);
        var offered = challenge.GetChallenges(HeaderId.WwwAuthenticate);
        Assert.Equal([DigestAlgorithm.Md5, DigestAlgorithm.Sha256], offered.Select(c => c.TryGetAlgorithm(out var a) ? a : DigestAlgorithm.Md5));

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
}
