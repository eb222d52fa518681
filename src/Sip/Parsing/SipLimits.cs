namespace CallControl.Sip.Parsing;

/// <summary>
/// Hard limits the parser enforces: a message over any of them is rejected, never grown into.
/// </summary>
public static class SipLimits
{
    /// <summary>The largest message accepted: 64 KiB, the most a UDP datagram can carry (RFC 768), and the
    /// bound that lets the header index use 16-bit offsets.</summary>
    public const int MaxMessageBytes = 65_535;

    /// <summary>The most header lines a message may have. Real messages carry 10–30; 256 leaves room for Via-heavy ones.</summary>
    public const int MaxHeaderLines = 256;

    /// <summary>The longest header line (name, colon and value, after unfolding) accepted: 8 KiB, some ten times the
    /// longest line of RFC 4475's longreq.dat, and the limit common HTTP servers use for a header line.</summary>
    public const int MaxHeaderLineBytes = 8_192;

    /// <summary>The longest Request-URI accepted; longer gets 414 (RFC 3261 §21.4.12).</summary>
    public const int MaxRequestUriBytes = 8_192;

    /// <summary>The longest header name accepted (the index stores it in a byte).</summary>
    public const int MaxHeaderNameBytes = 255;
}
