namespace CallControl.Media.Bencode;

/// <summary>Why a bencode document was rejected (closed set; <see cref="BencodeFormatException.Error"/>).</summary>
public enum BencodeError
{
    /// <summary>The input ended inside a value.</summary>
    Truncated,

    /// <summary>A byte that starts no value (not <c>i</c>, <c>l</c>, <c>d</c> or a digit).</summary>
    UnexpectedByte,

    /// <summary>An integer that is empty, has a leading zero, is <c>-0</c> or does not fit 64 bits.</summary>
    BadInteger,

    /// <summary>A string length that is not a plain decimal or is over <see cref="BencodeLimits.MaxStringLength"/>.</summary>
    BadLength,

    /// <summary>A dictionary key that is not a byte string.</summary>
    KeyNotString,

    /// <summary>The same key twice in one dictionary.</summary>
    DuplicateKey,

    /// <summary>Nesting deeper than <see cref="BencodeLimits.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>More values than <see cref="BencodeLimits.MaxValues"/>.</summary>
    TooManyValues,

    /// <summary>Bytes after the end of the document.</summary>
    TrailingBytes,
}
