using System.Security.Cryptography;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>
/// Builds the request a B2BUA sends on for an out-of-dialog MESSAGE (RFC 3428) or OPTIONS: the sender's description of
/// the message (body, describing headers, From and To as it wrote them), and identifiers of our own (Call-ID, From
/// tag, Via, CSeq), so nothing that routes the sender's request crosses (topology hiding, as the call legs do:
/// <see cref="LegMessages"/>).
/// </summary>
public static class OutOfDialogRequests
{
    // What describes the message and what its recipient may answer with; nothing that routes it (Route, Record-Route,
    // Contact, Via), nothing that authenticates the sender to us (Proxy-Authorization), nothing of the sender's software.
    private static readonly HeaderId[] Relayed =
    [
        HeaderId.ContentDisposition, HeaderId.ContentEncoding, HeaderId.Subject, HeaderId.Date, HeaderId.Expires,
        HeaderId.Priority, HeaderId.InReplyTo, HeaderId.ReplyTo, HeaderId.Accept, HeaderId.AcceptEncoding,
        HeaderId.AcceptLanguage, HeaderId.Allow, HeaderId.Privacy, HeaderId.PAssertedIdentity, HeaderId.Organization,
        HeaderId.CallInfo, HeaderId.MimeVersion,
    ];

    /// <summary>
    /// The request for one target: <paramref name="request"/>'s method toward <paramref name="uri"/>, sent to
    /// <paramref name="peer"/> from <paramref name="edge"/> (its Via), one hop further (Max-Forwards), with
    /// <paramref name="extra"/> headers (a binding's Path as Route).
    /// </summary>
    public static byte[] For(SipMessage request, string uri, SipPeer peer, EdgeInfo edge, IReadOnlyDictionary<string, string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = request.From;
        var fromParameters = new HeaderParameters();
        fromParameters.Set("tag", SipIds.NewTag());
        var to = request.To;
        var builder = SipMessageBuilder.Request(request.Method, uri)
            .Add(HeaderId.Via, EdgeAddresses.Via(edge, peer, SipIds.NewBranch()))
            .Add(HeaderId.MaxForwards, (request.MaxForwards ?? 70) - 1)
            .Add(HeaderId.From, new NameAddress(from.Uri, from.DisplayName, fromParameters).ToString())
            .Add(HeaderId.To, new NameAddress(to.Uri, to.DisplayName).ToString())
            .Add(HeaderId.CallId, NewCallId())
            .Add(HeaderId.CSeq, $"1 {request.CSeq.MethodName}");
        foreach (var id in Relayed)
        {
            builder.Copy(request, id);
        }

        if (extra is not null)
        {
            foreach (var (name, value) in extra)
            {
                builder.Add(name, value);
            }
        }

        return builder.Body(request.Body, request.ContentType).ToArray();
    }

    /// <summary>A Call-ID of ours: <see cref="IMessageRelayGrain.CallIdPrefix"/> and 128 random bits.</summary>
    public static string NewCallId() => IMessageRelayGrain.CallIdPrefix + RandomNumberGenerator.GetHexString(32, lowercase: true);
}
