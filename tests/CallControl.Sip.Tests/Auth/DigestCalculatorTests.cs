using CallControl.Sip.Auth;

namespace CallControl.Sip.Tests.Auth;

/// <summary>
/// Known answers. RFC 7616 §3.9.1 (MD5 and SHA-256 responses) and RFC 2617 §3.5 (MD5, qop=auth); the HA1, -sess
/// and RFC 2069-form values are not in any RFC and were computed independently with python3 hashlib.
/// </summary>
public sealed class DigestCalculatorTests
{
    private const string User = "Mufasa";
    private const string Realm = "http-auth@example.org";
    private const string Password = "Circle of Life";
    private const string Uri = "/dir/index.html";
    private const string Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private const string Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData(DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    [InlineData(DigestAlgorithm.Md5Sess, "e783283f46242139c486a698fec7211d")]
    [InlineData(DigestAlgorithm.Sha256Sess, "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7")]
    public void Rfc_7616_example_responses(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, User, Realm, Password);
        Assert.Equal(expected, DigestCalculator.ComputeResponse(algorithm, ha1, "GET", Uri, Nonce, "auth", "00000001", Cnonce));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "3d78807defe7de2157e2b0b6573a855f")]
    [InlineData(DigestAlgorithm.Sha256, "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232")]
    public void Stored_ha1_values(DigestAlgorithm algorithm, string expected) =>
        Assert.Equal(expected, DigestCalculator.ComputeHa1(algorithm, User, Realm, Password));

    [Fact]
    public void Session_ha1_rehashes_with_nonce_and_cnonce()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5Sess, User, Realm, Password);
        Assert.Equal("2b3d906f52651c3136e1502b3d6f38ee", DigestCalculator.ComputeSessionHa1(DigestAlgorithm.Md5Sess, ha1, Nonce, Cnonce));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5, "7b2cc3b30e75b4777ea31027084363fd")]
    [InlineData(DigestAlgorithm.Sha256, "a1306b0595a6c7fe96c448631fb5cfbd5107bd1fe1da729d978dd7446b812363")]
    public void Rfc_2069_form_without_qop(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestCalculator.ComputeHa1(algorithm, User, Realm, Password);
        Assert.Equal(expected, DigestCalculator.ComputeResponse(algorithm, ha1, "GET", Uri, Nonce));
    }

    [Fact]
    public void Rfc_2617_example_response()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        Assert.Equal(
            "6629fae49393a05397450978507c4ef1",
            DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, ha1, "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b"));
    }

    [Fact]
    public void The_rfc_7616_authorization_header_verifies_from_its_stored_ha1()
    {
        var header = $"Digest username=\"{User}\", realm=\"{Realm}\", uri=\"{Uri}\", algorithm=SHA-256, nonce=\"{Nonce}\", nc=00000001, " +
            $"cnonce=\"{Cnonce}\", qop=auth, response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\", opaque=\"{Opaque}\"";
        Assert.True(DigestCredentials.TryParse(header, out var credentials));
        Assert.True(credentials.TryGetAlgorithm(out var algorithm));
        var storedHa1 = DigestCalculator.ComputeHa1(algorithm, User, Realm, Password);
        Assert.Equal(credentials.Response, DigestCalculator.ComputeResponse(algorithm, storedHa1, "GET", credentials));
    }

    [Fact]
    public void An_upper_case_stored_ha1_gives_the_same_response()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, User, Realm, Password);
        Assert.Equal(
            DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, ha1, "GET", Uri, Nonce, "auth", "00000001", Cnonce),
            DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, ha1.ToUpperInvariant(), "GET", Uri, Nonce, "auth", "00000001", Cnonce));
    }

    [Fact]
    public void Unsupported_qop_and_missing_cnonce_are_programming_errors()
    {
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, "00", "GET", Uri, Nonce, "auth-int", "00000001", Cnonce));
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(DigestAlgorithm.Md5Sess, "00", "GET", Uri, Nonce));
        Assert.Throws<ArgumentException>(() => DigestCalculator.ComputeResponse(DigestAlgorithm.Md5, "00", "GET", Uri, Nonce, "auth", null, Cnonce));
    }
}
