using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using static CallControl.EndToEnd.Tests.Infrastructure.PhoneRegistration;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// CallControl:Sip:Auth:Algorithms on the real cluster, set MD5 first (ClusterFixture): sipp 3.6.1, which answers
/// only the first challenge it reads and computes MD5 only, registers with its own [authentication]; a client that
/// picks SHA-256 from the same 401 registers too.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DigestAlgorithmClusterTests(ClusterFixture fixture) : IDisposable
{
    private const string Password = "through-the-looking-glass";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-digest-").FullName;

    [Fact]
    public async Task Sipp_registers_with_its_own_md5_digest_answer_to_the_first_challenge()
    {
        await fixture.Cluster.AddSubscriberAsync("carol", Password);

        var (exit, output) = await Sipp.RunCallerAsync("register-uac.xml", "udp", fixture.Cluster.SipPort, calls: 1, rate: 1, "sipp-register-", _work,
            "-s", "carol", "-au", "carol", "-ap", Password);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task The_401_offers_md5_then_sha256_and_a_client_that_picks_sha256_registers()
    {
        await fixture.Cluster.AddSubscriberAsync("dave", Password);
        using var phone = new UdpPhone(fixture.Cluster.SipPort);

        var challenge = await RegisterAsync(phone, "dave", password: null);
        Assert.Equal(401, challenge.StatusCode);
        Assert.Equal(["MD5", "SHA-256"], challenge.GetChallenges(HeaderId.WwwAuthenticate).Select(c => c.Algorithm));

        var ok = await RegisterAsync(phone, "dave", Password, challenge, DigestAlgorithm.Sha256);
        Assert.Equal(200, ok.StatusCode);
        Assert.Single(ok.Addresses(HeaderId.Contact));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
