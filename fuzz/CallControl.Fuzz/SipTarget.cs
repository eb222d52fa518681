using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;

namespace CallControl.Fuzz;

/// <summary>
/// The "sip" target: the input as a datagram and as a stream message, through what SipStack does with a message
/// (parse; for a rejection, build the 400), then through every typed view of the parsed message.
/// </summary>
public static class SipTarget
{
    private static readonly HeaderId[] AllHeaders = Enum.GetValues<HeaderId>();

    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlyMemory<byte> input)
    {
        Check(input, isStream: false);
        Check(input, isStream: true);
    }

    /// <summary>
    /// SipParser.TryParse and MalformedRequestResponder.TryBuild must never throw; the typed accessors may
    /// throw only <see cref="SipFormatException"/>.
    /// </summary>
    internal static void Check(ReadOnlyMemory<byte> input, bool isStream)
    {
        if (!SipParser.TryParse(input, isStream, out var message, out var failure))
        {
            _ = MalformedRequestResponder.TryBuild(input.Span, failure);
            return;
        }

        if (!message.TryParseDialogHeaders(out failure))
        {
            _ = MalformedRequestResponder.TryBuild(input.Span, failure);
        }

        ReadEverything(message);
    }

    private static void ReadEverything(SipMessage message)
    {
        // Views the parser vouches for: no exception at all.
        _ = message.MethodName;
        _ = message.RequestUri;
        _ = message.ReasonPhrase;
        _ = message.Body;
        _ = message.MaxForwards;
        _ = message.ContentType;
        _ = message.ToString();
        foreach (var (name, _) in message.HeaderLines())
        {
            _ = message.GetHeader(name);
        }

        if (message.IsRequest)
        {
            _ = SipUri.TryParse(message.RequestUri, out _);
        }

        // Typed views: SipFormatException only.
        Documented.MayReject(() => message.CSeq);
        Documented.MayReject(() => message.CallId);
        Documented.MayReject(() => message.From);
        Documented.MayReject(() => message.To);
        Documented.MayReject(() => message.Vias);
        Documented.MayReject(() => message.TopVia);
        foreach (var id in AllHeaders)
        {
            Documented.MayReject(() => message.GetHeaders(id));
            Documented.MayReject(() => message.GetHeader(id));
            if (HeaderTable.Get(id)?.Syntax == HeaderSyntax.NameAddr)
            {
                Documented.MayReject(() => message.Addresses(id));
            }
        }
    }
}
