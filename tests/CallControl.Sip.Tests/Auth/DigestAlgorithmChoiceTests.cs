using CallControl.Sip.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Tests.Auth;

/// <summary>
/// <c>CallControl:Sip:Auth:Algorithms</c>: what is offered, in which order, and what is accepted; bound from
/// configuration as an operator writes it; and every bad list stops start-up naming the key and index.
/// </summary>
public sealed class DigestAlgorithmChoiceTests
{
    private const string Key = "CallControl:Sip:Auth:Algorithms";

    [Theory]
    [InlineData(new[] { "SHA-256", "MD5" }, new[] { "SHA-256", "MD5" })]
    [InlineData(new[] { "MD5", "SHA-256" }, new[] { "MD5", "SHA-256" })]
    [InlineData(new[] { "sha-256" }, new[] { "SHA-256" })]
    [InlineData(new[] { "md5" }, new[] { "MD5" })]
    public void The_challenges_follow_the_configured_order(string[] configured, string[] offered)
    {
        var kit = new AuthTestKit(algorithms: configured);
        Assert.Equal(offered, kit.Challenger.CreateChallenges(AuthTestKit.Realm).Select(c => c.Algorithm));
    }

    [Fact]
    public void Sha256_alone_refuses_md5_and_md5_sess_and_accepts_sha256_and_its_sess_variant()
    {
        var kit = new AuthTestKit(algorithms: ["SHA-256"]);
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5)));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5Sess)));
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Sha256)));
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Sha256Sess)));
    }

    [Fact]
    public void Md5_alone_refuses_sha256()
    {
        var kit = new AuthTestKit(algorithms: ["MD5"]);
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Sha256)));
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5)));
    }

    [Fact]
    public void A_client_that_reads_only_the_first_challenge_and_knows_only_md5_authenticates_by_default()
    {
        var kit = new AuthTestKit();
        Assert.True(DigestChallenge.TryParse(kit.Challenger.CreateHeaderValues(AuthTestKit.Realm)[0], out var first));
        Assert.True(first.TryGetAlgorithm(out var algorithm));
        Assert.Equal(DigestAlgorithm.Md5, algorithm);
        var credentials = DigestClient.Answer(first, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(credentials));
    }

    [Fact]
    public void Configuring_index_0_alone_replaces_the_default_rather_than_overwriting_part_of_it()
    {
        var options = Bind(new() { [$"{Key}:0"] = "SHA-256" });
        Assert.Equal([DigestAlgorithm.Sha256], DigestAlgorithmChoice.From(options).Offered);
    }

    [Fact]
    public void Configuring_two_items_binds_both_in_order()
    {
        var options = Bind(new() { [$"{Key}:0"] = "SHA-256", [$"{Key}:1"] = "MD5" });
        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], DigestAlgorithmChoice.From(options).Offered);
    }

    [Fact]
    public void Nothing_configured_means_md5_then_sha256_and_allow_md5_false_means_sha256_alone()
    {
        Assert.Equal([DigestAlgorithm.Md5, DigestAlgorithm.Sha256], DigestAlgorithmChoice.From(Bind([])).Offered);
        var noMd5 = Bind(new() { ["CallControl:Sip:Auth:AllowMd5"] = "false" });
        Assert.Equal([DigestAlgorithm.Sha256], DigestAlgorithmChoice.From(noMd5).Offered);
    }

    [Theory]
    [InlineData(new[] { "SHA-1" }, true, Key + ":0 must be MD5 or SHA-256")]
    [InlineData(new[] { "MD5", "SHA-512-256" }, true, Key + ":1 must be MD5 or SHA-256")]
    [InlineData(new[] { "SHA-256", "" }, true, Key + ":1 must be MD5 or SHA-256")]
    [InlineData(new[] { "MD5-sess" }, true, Key + ":0 must be MD5 or SHA-256")]
    [InlineData(new[] { "SHA-256", "sha-256" }, true, Key + ":1 repeats SHA-256")]
    [InlineData(new string[0], true, Key + " must name at least one algorithm")]
    [InlineData(new[] { "SHA-256", "MD5" }, false, Key + ":1 names MD5, but CallControl:Sip:Auth:AllowMd5 is false")]
    public void A_bad_list_fails_naming_the_key_and_index(string[] algorithms, bool allowMd5, string expected)
    {
        var options = new DigestAuthOptions { NonceSecret = AuthTestKit.Secret, AllowMd5 = allowMd5, Algorithms = algorithms };

        var result = new DigestAuthOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => DigestAlgorithmChoice.From(options)); // what the challenger and verifier are built from
    }

    [Fact]
    public void A_host_stops_at_start_up_on_a_bad_configured_algorithm_with_one_line_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"{Key}:0"] = "MD5", [$"{Key}:1"] = "SHA1" }).Build();
        var services = new ServiceCollection();
        services.AddDigestAuthOptions(configuration).Configure(o => o.NonceSecret = AuthTestKit.Secret);
        services.AddDigestAuthOptions(configuration); // registered by more than one part of a host: still one line
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal($"{Key}:1 must be MD5 or SHA-256 (each accepts its -sess variant too); got 'SHA1'.", Assert.Single(error.Failures));
    }

    private static DigestAuthOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddDigestAuthOptions(configuration).Configure(o => o.NonceSecret = AuthTestKit.Secret);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<DigestAuthOptions>>().Value;
    }
}
