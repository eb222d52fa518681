namespace CallControl.Cli;

/// <summary>The command line was wrong: say how, with the usage, and exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException() : this("usage")
    {
    }

    public UsageException(string message, Exception inner) : this(message + " " + inner.Message)
    {
    }
}
