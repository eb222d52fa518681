namespace CallControl.Edge.Security;

/// <summary>The kinds of message rate-limited separately (<see cref="RateLimit.Kinds"/>), told from the first bytes.</summary>
internal enum RequestKind
{
    /// <summary>An INVITE.</summary>
    Invite,

    /// <summary>A REGISTER.</summary>
    Register,

    /// <summary>An OPTIONS.</summary>
    Options,

    /// <summary>Any other request, and every response.</summary>
    Other,

    /// <summary>A 407 the edge sends: counted so that a stream of INVITEs never makes the edge an amplifier.</summary>
    Challenge,
}

/// <summary>Tells a message's <see cref="RequestKind"/> from its request line, before it is parsed.</summary>
internal static class RequestKinds
{
    /// <summary>The kind of <paramref name="message"/>: method names are case-sensitive and followed by one space (RFC 3261 §7.1).</summary>
    public static RequestKind Of(ReadOnlySpan<byte> message)
    {
        if (message.StartsWith("INVITE "u8))
        {
            return RequestKind.Invite;
        }

        if (message.StartsWith("REGISTER "u8))
        {
            return RequestKind.Register;
        }

        return message.StartsWith("OPTIONS "u8) ? RequestKind.Options : RequestKind.Other;
    }

    /// <summary>The configuration name of a kind (<c>CallControl:Security:RateLimits:&lt;name&gt;</c>).</summary>
    public static string Name(this RequestKind kind) => RateLimit.Kinds[(int)kind];
}
