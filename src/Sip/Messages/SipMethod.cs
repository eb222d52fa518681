namespace CallControl.Sip.Messages;

/// <summary>The request methods the stack recognises. Anything else is <see cref="Unknown"/>, with its name kept.</summary>
public enum SipMethod : byte
{
    Unknown = 0,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Update,
    Info,
    Subscribe,
    Notify,
    Refer,
    Message,
    Publish,
}

/// <summary>Method names as bytes and text, and the lookup from wire bytes.</summary>
public static class SipMethods
{
    private static readonly string[] Names =
        ["", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "UPDATE", "INFO", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH"];

    private static readonly byte[][] NameBytes = [.. Names.Select(System.Text.Encoding.ASCII.GetBytes)];

    /// <summary>The method's name as it goes on the wire (methods are case-sensitive: RFC 3261 §7.1).</summary>
    public static string Name(this SipMethod method) => Names[(int)method];

    /// <summary>The method's name as ASCII bytes.</summary>
    public static ReadOnlySpan<byte> NameUtf8(this SipMethod method) => NameBytes[(int)method];

    /// <summary>Recognises a method token exactly (case-sensitive).</summary>
    public static SipMethod Parse(ReadOnlySpan<byte> token)
    {
        for (var i = 1; i < NameBytes.Length; i++)
        {
            if (token.SequenceEqual(NameBytes[i]))
            {
                return (SipMethod)i;
            }
        }

        return SipMethod.Unknown;
    }

    /// <summary>Recognises a method given as text.</summary>
    public static SipMethod Parse(string token)
    {
        var index = Array.IndexOf(Names, token);
        return index > 0 ? (SipMethod)index : SipMethod.Unknown;
    }
}
