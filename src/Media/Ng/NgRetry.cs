namespace CallControl.Media.Ng;

/// <summary>
/// How long to wait for each attempt's reply and how many attempts to make; each retransmission repeats the first
/// datagram byte for byte, cookie included, so rtpengine answers from its reply cache instead of acting twice.
/// </summary>
public sealed record NgRetry(TimeSpan Timeout, int Attempts)
{
    /// <summary>The whole wait before giving up.</summary>
    public TimeSpan Total => Timeout * Attempts;
}
