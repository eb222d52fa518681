using CallControl.Media.Ng;

namespace CallControl.Media.Selection;

/// <summary>No rtpengine can take a new call: every one is down, drained (weight 0) or excluded.</summary>
public sealed class NoRtpengineException : NgException
{
    /// <summary>Creates the exception.</summary>
    public NoRtpengineException()
        : base("No rtpengine can take a new call: all are down, drained or excluded.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public NoRtpengineException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NoRtpengineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
