namespace CallControl.Media.Ng;

/// <summary>An ng command that did not succeed: the base of the typed failures below.</summary>
public class NgException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NgException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public NgException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public NgException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>rtpengine answered <c>result: error</c>; <see cref="Reason"/> is its <c>error-reason</c> (<c>Unknown call-id</c>...).</summary>
public sealed class NgErrorException : NgException
{
    /// <summary>Creates the exception.</summary>
    public NgErrorException(string command, NgAddress address, string reason)
        : base($"rtpengine {address} refused '{command}': {reason}")
    {
        Command = command;
        Address = address;
        Reason = reason;
    }

    /// <summary>The command refused.</summary>
    public string Command { get; } = "";

    /// <summary>The rtpengine that refused it.</summary>
    public NgAddress? Address { get; }

    /// <summary>rtpengine's <c>error-reason</c>.</summary>
    public string Reason { get; } = "";
}

/// <summary>No reply after every attempt: the rtpengine is down, unreachable or overloaded.</summary>
public sealed class NgTimeoutException : NgException
{
    /// <summary>Creates the exception.</summary>
    public NgTimeoutException(string command, NgAddress address, int attempts, TimeSpan timeout)
        : base($"rtpengine {address} did not answer '{command}' after {attempts} attempt(s) of {timeout.TotalMilliseconds:0} ms")
    {
        Command = command;
        Address = address;
        Attempts = attempts;
    }

    /// <summary>The command not answered.</summary>
    public string Command { get; } = "";

    /// <summary>The rtpengine that did not answer.</summary>
    public NgAddress? Address { get; }

    /// <summary>How many times the command was sent.</summary>
    public int Attempts { get; }
}

/// <summary>A reply that is not an ng reply: bad bencode, not a dictionary, no <c>result</c>.</summary>
public sealed class NgProtocolException : NgException
{
    /// <summary>Creates the exception.</summary>
    public NgProtocolException(string message, Exception? innerException = null)
        : base(message, innerException ?? new FormatException(message))
    {
    }
}
