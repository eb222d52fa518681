using CallControl.Sip.Headers;

namespace CallControl.Sip.Tests.Headers;

public sealed class SipUriTests
{
    [Theory]
    [InlineData("sip:e@example.com;name=\"quoted\"")]
    [InlineData("sip:e@example.com;name=\"\f\f\"")]
    [InlineData("sip:e@example.com;name=a\u0001b")]
    [InlineData("sip:e@example.com;maddr=val#e\"")]
    public void A_uri_parameter_takes_no_quoted_string_or_control_character(string text)
    {
        // RFC 3261 §25.1: uri-parameter is paramchars and escapes; a value that could not print back is refused.
        Assert.False(SipUri.TryParse(text, out _));
    }

    [Fact]
    public void A_uri_parameter_prints_unquoted_even_with_colons()
    {
        Assert.True(SipUri.TryParse("sip:bob@example.com;maddr=[2001:db8::1];x=", out var uri));

        Assert.Equal("sip:bob@example.com;maddr=[2001:db8::1];x=", uri.ToString());
    }

    [Fact]
    public void Reads_every_part_of_a_sip_uri()
    {
        Assert.True(SipUri.TryParse("sip:alice:secret@Example.COM:5070;transport=TCP;lr?subject=hi&x=1", out var uri));
        Assert.Equal("sip", uri.Scheme);
        Assert.Equal("alice", uri.User);
        Assert.Equal("secret", uri.Password);
        Assert.Equal("Example.COM", uri.Host);
        Assert.Equal(5070, uri.Port);
        Assert.Equal("tcp", uri.Transport);
        Assert.True(uri.Parameters.Contains("lr"));
        Assert.Null(uri.Parameters["lr"]);
        Assert.Equal("subject=hi&x=1", uri.Headers);
    }

    [Theory]
    [InlineData("sip:alice@example.com")]
    [InlineData("sips:bob@[2001:db8::1]:5061;transport=tls")]
    [InlineData("sip:%61lice@example.com;user=phone")]
    [InlineData("sip:example.com")]
    [InlineData("tel:+1-555-123-4567;phone-context=example.com")]
    [InlineData("urn:service:sos")]
    public void Round_trips_as_written(string text)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal(text, uri.ToString());
    }

    [Fact]
    public void Reads_ipv6_references_and_tel_numbers()
    {
        var v6 = SipUri.Parse("sip:[2001:db8::10]:5070");
        Assert.Equal("[2001:db8::10]", v6.Host);
        Assert.Equal(5070, v6.Port);
        var tel = SipUri.Parse("tel:+15551234567;isub=1");
        Assert.Equal("tel", tel.Scheme);
        Assert.Equal("+15551234567", tel.User);
        Assert.Equal("1", tel.Parameters["isub"]);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("sip:")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@exa mple.com")]
    [InlineData("sip:alice@example.com:99999")]
    [InlineData("sip:alice@example.com:")]
    [InlineData("sip:[not-v6]")]
    [InlineData("sip:alice@example.com;=x")]
    public void Rejects_what_is_not_a_uri(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void Replacing_the_user_keeps_everything_else()
        => Assert.Equal("sip:1000@127.0.0.1:5090;transport=tcp", SipUri.Parse("sip:127.0.0.1:5090;transport=tcp").WithUser("1000").ToString());
}
