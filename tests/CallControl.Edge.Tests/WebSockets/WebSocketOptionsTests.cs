using CallControl.Edge.Hosting;
using CallControl.Edge.WebSockets;

namespace CallControl.Edge.Tests.WebSockets;

/// <summary>CallControl:Edge:WebSocket: each bad value stops start-up with a line naming its key; the defaults pass.</summary>
public sealed class WebSocketOptionsTests
{
    [Fact]
    public void The_defaults_pass_with_both_WebSocket_transports()
        => Assert.True(new EdgeOptionsValidator().Validate(null, new EdgeOptions { Transports = "udp,tcp,tls,ws,wss" }).Succeeded);

    [Fact]
    public void The_default_ports_are_rfc_7118_practice()
    {
        var options = new EdgeOptions();
        Assert.Equal((5066, 7443), (options.WebSocketPort, options.SecureWebSocketPort));
        Assert.Equal(65_535, options.WebSocket.MaxMessageBytes);
    }

    public static TheoryData<Action<EdgeOptions>, string> BadValues => new()
    {
        { o => o.WebSocket.AllowedOrigins.Add("app.example.com"), "CallControl:Edge:WebSocket:AllowedOrigins:0: " },
        { o => o.WebSocket.AllowedOrigins.Add("https://app.example.com/page"), "CallControl:Edge:WebSocket:AllowedOrigins:0: " },
        { o => o.WebSocket.MaxConnections = 0, "CallControl:Edge:WebSocket:MaxConnections " },
        { o => o.WebSocket.MaxConnectionsPerSource = 0, "CallControl:Edge:WebSocket:MaxConnectionsPerSource " },
        { o => o.WebSocket.IdleTimeout = TimeSpan.FromMilliseconds(10), "CallControl:Edge:WebSocket:IdleTimeout " },
        { o => o.WebSocket.KeepAliveInterval = TimeSpan.Zero, "CallControl:Edge:WebSocket:KeepAliveInterval " },
        { o => o.WebSocket.KeepAliveTimeout = TimeSpan.FromSeconds(-1), "CallControl:Edge:WebSocket:KeepAliveTimeout " },
        { o => o.WebSocket.MaxMessageBytes = 70_000, "CallControl:Edge:WebSocket:MaxMessageBytes " },
        { o => o.WebSocket.MaxMessageBytes = 100, "CallControl:Edge:WebSocket:MaxMessageBytes " },
        { o => o.WebSocket.HandshakeTimeout = TimeSpan.Zero, "CallControl:Edge:WebSocket:HandshakeTimeout " },
        { o => o.SecureWebSocketPort = 70_000, "CallControl:Edge:SecureWebSocketPort: " },
        { o => o.SecureWebSocketPort = o.WebSocketPort, "CallControl:Edge:SecureWebSocketPort: " },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_fails_naming_its_key(Action<EdgeOptions> change, string key)
    {
        var options = new EdgeOptions { Transports = "udp,tcp,tls,ws,wss" };
        change(options);

        var failures = new EdgeOptionsValidator().Validate(null, options).Failures ?? [];
        Assert.Contains(failures, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://app.example.com", "https://APP.example.com:443", true)]
    [InlineData("https://app.example.com", "http://app.example.com", false)]
    [InlineData("https://app.example.com", "https://app.example.com:8443", false)]
    [InlineData("https://app.example.com", "https://evil.example", false)]
    [InlineData("https://app.example.com", null, false)]
    [InlineData("https://app.example.com", "null", false)]
    public void An_origin_is_allowed_when_listed_as_scheme_host_and_port(string listed, string? origin, bool allowed)
        => Assert.Equal(allowed, new OriginPolicy([listed]).Allows(origin));

    [Theory]
    [InlineData(null)]
    [InlineData("https://anything.example")]
    public void An_empty_list_allows_any_origin_and_none(string? origin)
        => Assert.True(new OriginPolicy([]).Allows(origin));
}
