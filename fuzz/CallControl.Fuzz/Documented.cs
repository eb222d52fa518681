using CallControl.Sip.Parsing;

namespace CallControl.Fuzz;

/// <summary>The one exception the targets swallow, and only where a contract allows it.</summary>
internal static class Documented
{
    /// <summary>
    /// Reads a typed accessor of a parsed message. Their contract lets them throw <see cref="SipFormatException"/>
    /// on a malformed value (SipStack catches it at one boundary); any other exception escapes.
    /// </summary>
    public static void MayReject<T>(Func<T> read)
    {
        try
        {
            _ = read();
        }
        catch (SipFormatException)
        {
            // The documented rejection of a malformed header value.
        }
    }
}
