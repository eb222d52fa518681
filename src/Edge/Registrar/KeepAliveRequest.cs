using System.Globalization;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Registrar;

/// <summary>
/// The keep-alives on the wire: an OPTIONS out of any dialog whose branch marks it as the edge's own, so its response
/// is recognised and kept at the edge (<see cref="IsAnswer"/>) before anything could route it to a grain; or RFC 5626's
/// CRLF ping.
/// </summary>
internal static class KeepAliveRequest
{
    /// <summary>The start of every keep-alive's branch (RFC 3261's magic cookie first).</summary>
    public const string BranchPrefix = "z9hG4bK-cc-ka-";

    /// <summary>The CRLF keep-alive (RFC 5626 §4.4.1's double CRLF; the edge's stack drops those it receives as such).</summary>
    public static ReadOnlyMemory<byte> Crlf { get; } = "\r\n\r\n"u8.ToArray();

    /// <summary>
    /// The OPTIONS for <paramref name="due"/>, from the edge at <paramref name="edgeHost"/>:<paramref name="edgePort"/>
    /// (the Via: its answer must come back to this edge's socket). Max-Forwards 0: for the phone only, never relayed.
    /// </summary>
    public static byte[] Options(KeepAliveDue due, string edgeHost, int edgePort, string nonce)
    {
        var host = edgeHost.Contains(':', StringComparison.Ordinal) && !edgeHost.StartsWith('[') ? $"[{edgeHost}]" : edgeHost;
        var cseq = due.CSeq.ToString(CultureInfo.InvariantCulture);
        var requestUri = due.Contact.Length > 0 ? due.Contact : Target(due);
        return SipMessageBuilder.Request(SipMethod.Options, requestUri)
            .Add(HeaderId.Via, $"SIP/2.0/UDP {host}:{edgePort.ToString(CultureInfo.InvariantCulture)};branch={BranchPrefix}{nonce}-{cseq};rport")
            .Add(HeaderId.MaxForwards, 0)
            .Add(HeaderId.From, $"<sip:keepalive@{host}>;tag=cc-ka-{nonce}")
            .Add(HeaderId.To, $"<{due.Aor}>")
            .Add(HeaderId.CallId, $"cc-ka-{nonce}-{due.Destination.Address}")
            .Add(HeaderId.CSeq, $"{cseq} OPTIONS")
            .ToArray();
    }

    /// <summary>True for a response to one of the edge's keep-alives: its top Via carries <see cref="BranchPrefix"/>.</summary>
    public static bool IsAnswer(SipMessage response)
        => !response.IsRequest && response.TopVia.Branch is { } branch && branch.StartsWith(BranchPrefix, StringComparison.Ordinal);

    private static string Target(KeepAliveDue due) => $"sip:{due.Destination.Address}";
}
