namespace CallControl.Media.Bencode;

/// <summary>Malformed or over-limit bencode: why, and at which byte offset.</summary>
public sealed class BencodeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public BencodeFormatException(BencodeError error, int offset)
        : base($"Malformed bencode: {error} at byte {offset}.")
    {
        Error = error;
        Offset = offset;
    }

    /// <summary>Creates the exception (serialization and analyzers' conventions).</summary>
    public BencodeFormatException()
    {
    }

    /// <summary>Creates the exception (analyzers' conventions).</summary>
    public BencodeFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception (analyzers' conventions).</summary>
    public BencodeFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the input was rejected.</summary>
    public BencodeError Error { get; }

    /// <summary>The byte offset of the problem.</summary>
    public int Offset { get; }
}
