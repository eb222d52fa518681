using CallControl.Sip.Headers;

namespace CallControl.Sip.Tests.Headers;

public sealed class ViaHeaderTests
{
    [Fact]
    public void Reads_sent_protocol_sent_by_and_rfc3581_parameters()
    {
        Assert.True(ViaHeader.TryParse("SIP / 2.0 / tcp  10.0.0.1:5070 ;branch=z9hG4bK77;rport;received=192.0.2.9".AsSpan(), out var via));
        Assert.Equal("TCP", via.Transport);
        Assert.Equal("10.0.0.1", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.Equal("z9hG4bK77", via.Branch);
        Assert.True(via.HasRport);
        Assert.Equal("192.0.2.9", via.Received);
        Assert.Equal("10.0.0.1:5070", via.SentBy);
    }

    [Fact]
    public void Sent_by_defaults_the_port_by_transport()
    {
        Assert.Equal("example.com:5060", ViaHeader.TryParse("SIP/2.0/UDP Example.com;branch=z9hG4bK1".AsSpan(), out var udp) ? udp.SentBy : null);
        Assert.Equal("example.com:5061", ViaHeader.TryParse("SIP/2.0/TLS example.com;branch=z9hG4bK1".AsSpan(), out var tls) ? tls.SentBy : null);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 127.0.0.1")]
    [InlineData("HTTP/1.1/TCP 127.0.0.1")]
    [InlineData("SIP/2.0/UDP 127.0.0.1:x")]
    public void Rejects_malformed_vias(string text) => Assert.False(ViaHeader.TryParse(text.AsSpan(), out _));

    [Fact]
    public void Serialises_back()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx;rport".AsSpan(), out var via));
        Assert.Equal("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx;rport", via.ToString());
    }
}
