using CallControl.Sip.Headers;

namespace CallControl.Sip.Tests.Headers;

public sealed class NameAddressTests
{
    [Fact]
    public void Quoted_display_names_keep_escapes_resolved()
    {
        Assert.True(NameAddress.TryParse("\"Alice \\\"Al\\\" O'Neil\" <sip:alice@example.com>;tag=88".AsSpan(), out var address));
        Assert.Equal("Alice \"Al\" O'Neil", address.DisplayName);
        Assert.Equal("alice", address.Uri.User);
        Assert.Equal("88", address.Tag);
    }

    [Fact]
    public void Token_display_names_and_bare_angle_addresses_parse()
    {
        Assert.True(NameAddress.TryParse("Bob Smith <sip:bob@example.com>".AsSpan(), out var named));
        Assert.Equal("Bob Smith", named.DisplayName);
        Assert.True(NameAddress.TryParse("<sip:bob@example.com;transport=tcp>;expires=30".AsSpan(), out var bare));
        Assert.Null(bare.DisplayName);
        Assert.Equal("tcp", bare.Uri.Transport);
        Assert.Equal("30", bare.Parameters["expires"]);
    }

    [Fact]
    public void Parameters_after_an_addr_spec_belong_to_the_header_not_the_uri()
    {
        Assert.True(NameAddress.TryParse("sip:carol@example.com;tag=xyz".AsSpan(), out var address));
        Assert.Equal("xyz", address.Tag);
        Assert.Equal(0, address.Uri.Parameters.Count);
    }

    [Fact]
    public void The_wildcard_contact_is_recognised()
    {
        Assert.True(NameAddress.TryParse("*".AsSpan(), out var wildcard));
        Assert.True(wildcard.IsWildcard);
    }

    [Theory]
    [InlineData("\"unterminated <sip:a@b>")]
    [InlineData("\"quoted\" sip:a@b")]
    [InlineData("<sip:a@b")]
    [InlineData("<not a uri>")]
    [InlineData("")]
    public void Malformed_values_are_rejected(string text) => Assert.False(NameAddress.TryParse(text.AsSpan(), out _));

    [Fact]
    public void Serialises_in_name_addr_form_with_quoting()
    {
        var parameters = new HeaderParameters();
        parameters.Set("tag", "1");
        var address = new NameAddress(SipUri.Parse("sip:a@b"), "Doe, John", parameters);
        Assert.Equal("\"Doe, John\" <sip:a@b>;tag=1", address.ToString());
    }
}
