using System.Text;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;

namespace CallControl.Calls.Tests;

/// <summary>Which headers cross between the legs (docs/interop.md, "Header policy"): the defaults, allow and deny lists, and what never crosses.</summary>
public sealed class HeaderPolicyTests
{
    [Theory]
    [InlineData("Diversion")]
    [InlineData("History-Info")]
    [InlineData("X-Foo")]
    [InlineData("x-lower-case")]
    [InlineData("P-Asserted-Identity")]
    [InlineData("Privacy")]
    [InlineData("Subject")]
    public void Diversion_history_info_x_headers_and_what_describes_the_call_cross_an_invite_by_default(string name)
        => Assert.True(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Invite, name));

    [Theory]
    [InlineData("User-Agent")]
    [InlineData("P-Charging-Vector")]
    [InlineData("Organization")]
    public void Other_headers_do_not_cross_by_default(string name)
        => Assert.False(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Invite, name));

    [Fact]
    public void Each_kind_keeps_what_it_relayed_before_with_x_headers_added()
    {
        Assert.True(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Response, "Retry-After"));
        Assert.True(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Response, "X-Carrier-Cause"));
        Assert.False(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Response, "P-Asserted-Identity"));
        Assert.True(HeaderPolicy.Default.Crosses(HeaderCrossingKind.InDialog, "Info-Package"));
        Assert.True(HeaderPolicy.Default.Crosses(HeaderCrossingKind.InDialog, "Event"));
        Assert.False(HeaderPolicy.Default.Crosses(HeaderCrossingKind.Invite, "Info-Package"));
    }

    [Fact]
    public void The_allow_list_adds_names_and_prefixes_in_any_case()
    {
        var policy = new HeaderPolicy { Allow = ["user-agent", "P-Charging-*"] };

        Assert.True(policy.Crosses(HeaderCrossingKind.Invite, "User-Agent"));
        Assert.True(policy.Crosses(HeaderCrossingKind.Invite, "P-Charging-Vector"));
        Assert.True(policy.Crosses(HeaderCrossingKind.Response, "p-charging-function-addresses"));
        Assert.False(policy.Crosses(HeaderCrossingKind.Invite, "P-Called-Party-ID"));
    }

    [Fact]
    public void The_deny_list_wins_over_the_defaults_and_the_allow_list()
    {
        var policy = new HeaderPolicy { Allow = ["X-*", "User-Agent"], Deny = ["X-Internal-*", "user-agent", "Diversion"] };

        Assert.True(policy.Crosses(HeaderCrossingKind.Invite, "X-Foo"));
        Assert.False(policy.Crosses(HeaderCrossingKind.Invite, "X-Internal-Cost"));
        Assert.False(policy.Crosses(HeaderCrossingKind.Invite, "User-Agent"));
        Assert.False(policy.Crosses(HeaderCrossingKind.Invite, "Diversion"));
        Assert.True(policy.Crosses(HeaderCrossingKind.Invite, "History-Info"));
    }

    [Fact]
    public void A_deny_of_everything_lets_nothing_cross()
    {
        var policy = new HeaderPolicy { Deny = ["*"] };

        Assert.All(["Allow", "Diversion", "X-Foo", "P-Asserted-Identity"], name => Assert.False(policy.Crosses(HeaderCrossingKind.Invite, name)));
    }

    [Theory]
    [InlineData("Via")]
    [InlineData("Route")]
    [InlineData("Record-Route")]
    [InlineData("Contact")]
    [InlineData("Call-ID")]
    [InlineData("CSeq")]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("Max-Forwards")]
    [InlineData("Content-Length")]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("WWW-Authenticate")]
    [InlineData("Proxy-Authenticate")]
    [InlineData("Replaces")]
    [InlineData("Supported")]
    [InlineData("Session-Expires")]
    public void What_routes_a_message_or_belongs_to_one_leg_never_crosses_even_when_allowed(string name)
    {
        var policy = new HeaderPolicy { Allow = ["*", name] };

        Assert.False(policy.Crosses(HeaderCrossingKind.Invite, name));
        Assert.False(policy.Crosses(HeaderCrossingKind.InDialog, name));
        Assert.False(policy.Crosses(HeaderCrossingKind.Response, name));
        Assert.Contains(policy.Problems(), p => p.Contains(name, StringComparison.Ordinal) && p.Contains("never crosses", StringComparison.Ordinal));
    }

    [Fact]
    public void A_compact_form_is_judged_as_its_header()
    {
        var id = HeaderTable.Lookup("v");
        Assert.False(new HeaderPolicy { Allow = ["*"] }.Crosses(HeaderCrossingKind.Invite, id, Encoding.ASCII.GetBytes("v")));
    }

    [Fact]
    public void Problems_name_the_list_and_the_entry()
    {
        var problems = new HeaderPolicy { Allow = ["X-Good", "bad name"], Deny = ["", "X-*", "*"] }.Problems();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Allow:1: 'bad name' is not a header name", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Deny:0: '' is not a header name", problems[1], StringComparison.Ordinal);
    }
}
