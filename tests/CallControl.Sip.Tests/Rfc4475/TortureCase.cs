using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;

namespace CallControl.Sip.Tests.Rfc4475;

/// <summary>One RFC 4475 message, loaded as bytes from ../shared/sip/rfc4475, and what the stack does with it.</summary>
internal sealed record TortureCase(string File, string Section, string Class)
{
    public static IReadOnlyList<TortureCase> All { get; } = Load();

    public byte[] Bytes => System.IO.File.ReadAllBytes(Path.Combine(Directory, File));

    private static string Directory => Path.Combine(SharedFiles.Root, "sip", "rfc4475");

    public static TortureCase Get(string file) => All.Single(c => c.File == file);

    /// <summary>
    /// What the stack's boundary does with the message as one UDP datagram: the parsed message, or the
    /// failure with the response it gets (null: dropped silently).
    /// </summary>
    public (SipMessage? Message, SipParseFailure Failure, byte[]? Response) Receive()
    {
        var bytes = Bytes;
        if (SipParser.TryParse(bytes, out var message, out var failure) && message.TryParseDialogHeaders(out failure))
        {
            return (message, default, null);
        }

        return (null, failure, MalformedRequestResponder.TryBuild(bytes, failure));
    }

    /// <summary>Reads every header of a parsed message through its typed parser; returns what failed, if anything.</summary>
    public static string? ReadEveryHeader(SipMessage message)
    {
        try
        {
            _ = message.CallId;
            _ = message.CSeq;
            _ = message.MaxForwards;
            foreach (var definition in HeaderTable.All)
            {
                var values = message.GetHeaders(definition.Id);
                if (definition.Syntax == HeaderSyntax.NameAddr)
                {
                    _ = message.Addresses(definition.Id);
                }

                if (definition.Syntax == HeaderSyntax.Integer && values.Any(v => !int.TryParse(v, out _)))
                {
                    return $"{definition.Name}: not an integer";
                }
            }

            return null;
        }
        catch (SipFormatException e)
        {
            return e.Message;
        }
    }

    public override string ToString() => File;

    private static TortureCase[] Load()
        => [.. System.IO.File.ReadAllLines(Path.Combine(Directory, "cases.tsv"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(f => new TortureCase(f[0], f[1], f[2]))];
}
