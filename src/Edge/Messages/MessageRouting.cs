using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Messages;

/// <summary>Which out-of-dialog requests the edge relays to a user rather than answering them itself.</summary>
internal static class MessageRouting
{
    /// <summary>
    /// Every MESSAGE; an OPTIONS only when its Request-URI names a user (<c>sip:alice@node</c>): one to the node itself
    /// (<c>sip:node</c>, a balancer's or phone's ping, a health probe) is the edge's to answer, as before.
    /// </summary>
    public static bool IsRelayed(SipMessage request)
        => request.Method == SipMethod.Message
            || (request.Method == SipMethod.Options && SipUri.TryParse(request.RequestUri, out var uri) && (uri.User is not null || !uri.IsSip));
}
