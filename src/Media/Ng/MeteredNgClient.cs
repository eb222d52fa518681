using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>
/// Counts every ng command that goes through it, by command and result, with its duration (<see cref="RtpengineMetrics"/>),
/// and passes it on unchanged. In front of <see cref="NgClient"/> as the registered <see cref="INgClient"/>, so calls'
/// commands and the health monitor's pings are counted alike.
/// </summary>
public sealed class MeteredNgClient(INgClient inner, RtpengineMetrics metrics, TimeProvider time) : INgClient
{
    /// <inheritdoc />
    public async Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var reply = await inner.SendAsync(address, command, arguments, retry, cancellationToken);
            metrics.Command(command, RtpengineMetrics.Ok, time.GetElapsedTime(started));
            return reply;
        }
        catch (NgException e)
        {
            // A cancelled command (the host stopping) is nobody's failure and is not counted.
            metrics.Command(command, e is NgTimeoutException ? RtpengineMetrics.Timeout : RtpengineMetrics.Error, time.GetElapsedTime(started));
            throw;
        }
    }
}
