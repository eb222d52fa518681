namespace CallControl.Calls;

/// <summary>
/// The session version of an SDP's origin line (<c>o=&lt;user&gt; &lt;sess-id&gt; &lt;sess-version&gt; ...</c>, RFC 4566
/// §5.2). RFC 3264 §8 has each party see it grow with every change; after the media moved to another rtpengine, whose
/// rewrite starts again from the other party's own version, the call adds how often it moved.
/// </summary>
public static class SdpVersion
{
    /// <summary><paramref name="sdp"/> with its session version raised by <paramref name="by"/>; as it is when it has none to raise.</summary>
    public static string Raise(string sdp, int by)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        if (by <= 0)
        {
            return sdp;
        }

        var start = sdp.StartsWith("o=", StringComparison.Ordinal) ? 0 : sdp.IndexOf("\no=", StringComparison.Ordinal) is var line and >= 0 ? line + 1 : -1;
        if (start < 0)
        {
            return sdp;
        }

        // o=<username> <sess-id> <sess-version>: the version is the third field.
        var user = sdp.IndexOf(' ', start);
        var id = user < 0 ? -1 : sdp.IndexOf(' ', user + 1);
        var end = id < 0 ? -1 : sdp.IndexOf(' ', id + 1);
        var lineEnd = sdp.IndexOf('\n', start);
        if (end < 0 || (lineEnd >= 0 && end > lineEnd) || !ulong.TryParse(sdp.AsSpan(id + 1, end - id - 1), out var version))
        {
            return sdp;
        }

        return string.Concat(sdp.AsSpan(0, id + 1), (version + (ulong)by).ToString(System.Globalization.CultureInfo.InvariantCulture), sdp.AsSpan(end));
    }
}
