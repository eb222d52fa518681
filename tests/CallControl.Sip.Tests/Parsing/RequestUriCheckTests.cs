using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Tests.Parsing;

/// <summary>
/// The Request-URI fast path must never accept what SipUri rejects: each URI here is checked both ways, and
/// the common shapes must take the fast path (or it buys nothing).
/// </summary>
public sealed class RequestUriCheckTests
{
    public static TheoryData<string> Common =>
    [
        "sip:+15551230002@sip.example.com;user=phone",
        "sip:example.com",
        "SIP:bob@192.0.2.33:5060;transport=udp",
        "sips:alice:secret@example.com:5061;lr;maddr=192.0.2.1",
        "sip:user;par=u%40example.net@example.com",
        "sip:192.0.2.20;lr;ftag=as6f2c1e9a;did=0d4.a1b2c3d4;x=",
    ];

    public static TheoryData<string> Unusual =>
    [
        "sip:", "sip:@example.com", "sip::pw@example.com", "sip:a@", "sip:a@b:", "sip:a@b:70000", "sip:a@b:5060:1",
        "sip:a@b;", "sip:a@b;;lr", "sip:a@b;=x", "sip:a@b;a=b=c", "sip:a@b;a=\"q\"", "sip:a@b?Route=x", "sip:a@[2001:db8::1]:5060",
        "sip:a b@c", "sip:a<b@c", "sip:ä@example.com", "sip:a@exa_mple.com", "sip:a@b\v", "<sip:a@b>", "tel:+1555", "mailto:a@b",
        "sip:a@b;lr?x", "sips:", "sip:a@b c", "sip:a%@b", "sip:a@b;transport=tcp;lr;", "sip:a@-.-",
    ];

    [Theory]
    [MemberData(nameof(Common))]
    public void Common_shapes_take_the_fast_path_and_agree(string uri)
    {
        Assert.True(RequestUriCheck.IsCommonSipUri(Encoding.UTF8.GetBytes(uri)));
        Assert.True(SlowPath(uri));
    }

    [Theory]
    [MemberData(nameof(Common))]
    [MemberData(nameof(Unusual))]
    public void The_fast_path_accepts_only_what_SipUri_accepts(string uri)
    {
        var bytes = Encoding.UTF8.GetBytes(uri);
        if (RequestUriCheck.IsCommonSipUri(bytes))
        {
            Assert.True(SlowPath(uri));
        }

        Assert.Equal(SlowPath(uri), RequestUriCheck.IsValid(bytes));
    }

    private static bool SlowPath(string uri) => SipUri.TryParse(uri, out var parsed) && !(parsed.IsSip && parsed.Headers is not null);
}
