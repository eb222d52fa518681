namespace CallControl.Media;

/// <summary>
/// Media settings, from configuration section <c>CallControl:Media</c> (docs/media.md). Lists bind by index:
/// <c>CallControl__Media__Rtpengine__0__Address=10.0.0.5:2223</c>.
/// </summary>
public sealed class MediaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Media";

    /// <summary><c>passthrough</c> (default) or <c>anchor</c>; anchor needs at least one <see cref="Rtpengine"/>.</summary>
    public MediaMode Mode { get; set; } = MediaMode.Passthrough;

    /// <summary>The rtpengines calls are anchored on: <c>Rtpengine:N:Address</c> and <c>Rtpengine:N:Weight</c>.</summary>
    public IList<RtpengineOptions> Rtpengine { get; init; } = [];

    /// <summary>
    /// How long one ng attempt waits for its reply before the same datagram is sent again; default 1 s, Kamailio's
    /// rtpengine module's <c>rtpengine_tout_ms</c> default. A healthy rtpengine answers in well under a millisecond
    /// on a LAN; the wait covers a loaded one (jambonz sbc-inbound issue 23).
    /// </summary>
    public TimeSpan NgTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many times a command is sent (the first and the retransmissions) before it fails; default 3, so a dead
    /// rtpengine costs a call 3 s, well inside an INVITE's 32 s (Timer B) and a caller's patience. Kamailio retries 5 times.
    /// </summary>
    public int NgAttempts { get; set; } = 3;

    /// <summary>
    /// How often each rtpengine is pinged; default 500 ms. A dead one is found within this plus <see cref="HealthTimeout"/>
    /// × attempts (1.4 s by default), which bounds the media gap of the calls it carried (docs/media.md).
    /// </summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a health ping's attempt waits; default 300 ms (its attempts are <see cref="NgAttempts"/>), shorter than a call's wait.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromMilliseconds(300);
}

/// <summary>One rtpengine: <c>CallControl:Media:Rtpengine:N</c>.</summary>
public sealed class RtpengineOptions
{
    /// <summary>Its ng socket, <c>host:port</c> (<c>[v6]:port</c>); required.</summary>
    public string Address { get; set; } = "";

    /// <summary>Its share of new calls relative to the others; default 1; 0 takes no new calls (draining).</summary>
    public int Weight { get; set; } = 1;
}
