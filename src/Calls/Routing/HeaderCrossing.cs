using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>The kinds of message a header crosses in, each with the headers that cross it by default.</summary>
public enum HeaderCrossingKind : byte
{
    /// <summary>The caller's INVITE, to each callee leg's INVITE.</summary>
    Invite,

    /// <summary>A request in the dialog relayed to the other leg (re-INVITE, UPDATE, INFO, PRACK, ACK, ...).</summary>
    InDialog,

    /// <summary>A response relayed to the leg whose request it answers (the callee's to the caller's INVITE, a relayed request's).</summary>
    Response,
}

/// <summary>
/// The B2BUA's fixed rules for headers crossing between legs (docs/interop.md, "Header policy"): what crosses by
/// default in each kind of message, and what never crosses. A <see cref="HeaderPolicy"/> adds to the first and takes
/// from it, never from the second.
/// </summary>
public static class HeaderCrossing
{
    // What describes the call, nothing that routes it; as the B2BUA relayed before header policies, with RFC 5806's
    // Diversion, RFC 7044's History-Info and X- headers (by name: CrossesByDefault) added to every kind.
    private static readonly HeaderId[] InviteDefaults =
        [HeaderId.Allow, HeaderId.Accept, HeaderId.Subject, HeaderId.Privacy, HeaderId.PAssertedIdentity, HeaderId.ContentDisposition];

    private static readonly HeaderId[] InDialogDefaults =
        [HeaderId.ContentDisposition, HeaderId.Event, HeaderId.SubscriptionState, HeaderId.Allow, HeaderId.Accept];

    private static readonly HeaderId[] ResponseDefaults = [HeaderId.Allow, HeaderId.RetryAfter, HeaderId.Warning];

    private static readonly string[] NamedDefaults = ["Diversion", "History-Info", "X-*"];

    private static readonly string[] InDialogNamedDefaults = [.. NamedDefaults, "Info-Package"]; // RFC 6086: names INFO's package

    // Headers that route the message, name a dialog or transaction of one leg, or that the B2BUA writes itself on each leg
    // (Content-Type with the body it sends, its own Supported/Require for 100rel and timers, its RSeq/RAck, Session-Expires):
    // relaying them would reveal one leg to the other (topology hiding) or contradict what the B2BUA says on its leg.
    private static readonly HeaderId[] Never =
    [
        HeaderId.Via, HeaderId.Route, HeaderId.RecordRoute, HeaderId.Contact, HeaderId.CallId, HeaderId.CSeq, HeaderId.From, HeaderId.To,
        HeaderId.MaxForwards, HeaderId.ContentLength, HeaderId.ContentType, HeaderId.Authorization, HeaderId.ProxyAuthorization,
        HeaderId.WwwAuthenticate, HeaderId.ProxyAuthenticate, HeaderId.Supported, HeaderId.Require, HeaderId.ProxyRequire,
        HeaderId.Unsupported, HeaderId.RSeq, HeaderId.RAck, HeaderId.SessionExpires, HeaderId.MinSE, HeaderId.Path, HeaderId.ServiceRoute,
        HeaderId.ReferTo,
    ];

    private static readonly string[] NeverByName =
        ["Authentication-Info", "Proxy-Authentication-Info", "Replaces", "Join", "Target-Dialog", "Security-Client", "Security-Server", "Security-Verify", "Min-SE", "Session-Expires"];

    private static readonly bool[] NeverById = Table(Never);
    private static readonly bool[][] DefaultById = [Table(InviteDefaults), Table(InDialogDefaults), Table(ResponseDefaults)];

    /// <summary>Whether a header never crosses: it routes the message or belongs to one leg.</summary>
    public static bool NeverCrosses(HeaderId id, ReadOnlySpan<byte> name)
        => id == HeaderId.Unknown ? HeaderPolicy.Matches(NeverByName, name) : NeverById[(int)id];

    /// <summary>Whether a header crosses a message of <paramref name="kind"/> when no policy says otherwise.</summary>
    public static bool CrossesByDefault(HeaderCrossingKind kind, HeaderId id, ReadOnlySpan<byte> name)
        => id == HeaderId.Unknown ? HeaderPolicy.Matches(kind == HeaderCrossingKind.InDialog ? InDialogNamedDefaults : NamedDefaults, name) : DefaultById[(int)kind][(int)id];

    /// <summary>The names of the headers that never cross, for documentation and messages.</summary>
    public static IEnumerable<string> NeverCrossingNames => Never.Select(id => HeaderTable.Get(id)!.Name).Concat(NeverByName).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> (any case) never crosses.</summary>
    public static bool NeverCrosses(string name) => NeverCrosses(HeaderTable.Lookup(name), Encoding.ASCII.GetBytes(name));

    private static bool[] Table(HeaderId[] ids)
    {
        var table = new bool[256];
        foreach (var id in ids)
        {
            table[(int)id] = true;
        }

        return table;
    }
}
