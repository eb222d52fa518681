using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>
/// The one declarative table of headers the stack knows. Lookup by name, compact forms, arity and syntax
/// all derive from it; add a header by adding a row.
/// </summary>
public static class HeaderTable
{
    private static readonly HeaderDefinition[] Rows =
    [
        new(HeaderId.Via, "Via", 'v', HeaderArity.List, HeaderSyntax.Via, "RFC 3261 §20.42"),
        new(HeaderId.From, "From", 'f', HeaderArity.Single, HeaderSyntax.NameAddr, "RFC 3261 §20.20"),
        new(HeaderId.To, "To", 't', HeaderArity.Single, HeaderSyntax.NameAddr, "RFC 3261 §20.39"),
        new(HeaderId.CallId, "Call-ID", 'i', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.8"),
        new(HeaderId.CSeq, "CSeq", '\0', HeaderArity.Single, HeaderSyntax.CSeq, "RFC 3261 §20.16"),
        new(HeaderId.Contact, "Contact", 'm', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3261 §20.10"),
        new(HeaderId.MaxForwards, "Max-Forwards", '\0', HeaderArity.Single, HeaderSyntax.Integer, "RFC 3261 §20.22"),
        new(HeaderId.ContentLength, "Content-Length", 'l', HeaderArity.Single, HeaderSyntax.Integer, "RFC 3261 §20.14"),
        new(HeaderId.ContentType, "Content-Type", 'c', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.15"),
        new(HeaderId.Route, "Route", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3261 §20.34"),
        new(HeaderId.RecordRoute, "Record-Route", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3261 §20.30"),
        new(HeaderId.Allow, "Allow", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.5"),
        new(HeaderId.Supported, "Supported", 'k', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.37"),
        new(HeaderId.Require, "Require", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.32"),
        new(HeaderId.ProxyRequire, "Proxy-Require", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.29"),
        new(HeaderId.Unsupported, "Unsupported", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.40"),
        new(HeaderId.UserAgent, "User-Agent", '\0', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.41"),
        new(HeaderId.Server, "Server", '\0', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.35"),
        new(HeaderId.Expires, "Expires", '\0', HeaderArity.Single, HeaderSyntax.Integer, "RFC 3261 §20.19"),
        new(HeaderId.MinExpires, "Min-Expires", '\0', HeaderArity.Single, HeaderSyntax.Integer, "RFC 3261 §20.23"),
        new(HeaderId.Authorization, "Authorization", '\0', HeaderArity.Repeated, HeaderSyntax.Credentials, "RFC 3261 §20.7"),
        new(HeaderId.WwwAuthenticate, "WWW-Authenticate", '\0', HeaderArity.Repeated, HeaderSyntax.Credentials, "RFC 3261 §20.44"),
        new(HeaderId.ProxyAuthenticate, "Proxy-Authenticate", '\0', HeaderArity.Repeated, HeaderSyntax.Credentials, "RFC 3261 §20.27"),
        new(HeaderId.ProxyAuthorization, "Proxy-Authorization", '\0', HeaderArity.Repeated, HeaderSyntax.Credentials, "RFC 3261 §20.28"),
        new(HeaderId.ContentEncoding, "Content-Encoding", 'e', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.12"),
        new(HeaderId.ContentDisposition, "Content-Disposition", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.11"),
        new(HeaderId.Subject, "Subject", 's', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.36"),
        new(HeaderId.Accept, "Accept", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.1"),
        new(HeaderId.AcceptEncoding, "Accept-Encoding", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.2"),
        new(HeaderId.AcceptLanguage, "Accept-Language", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.3"),
        new(HeaderId.RetryAfter, "Retry-After", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.33"),
        new(HeaderId.RSeq, "RSeq", '\0', HeaderArity.Single, HeaderSyntax.Integer, "RFC 3262 §7.1"),
        new(HeaderId.RAck, "RAck", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 3262 §7.2"),
        new(HeaderId.SessionExpires, "Session-Expires", 'x', HeaderArity.Single, HeaderSyntax.Token, "RFC 4028 §4"),
        new(HeaderId.MinSE, "Min-SE", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 4028 §5"),
        new(HeaderId.Event, "Event", 'o', HeaderArity.Single, HeaderSyntax.Token, "RFC 6665 §8.2.1"),
        new(HeaderId.AllowEvents, "Allow-Events", 'u', HeaderArity.List, HeaderSyntax.Token, "RFC 6665 §8.2.2"),
        new(HeaderId.ReferTo, "Refer-To", 'r', HeaderArity.Single, HeaderSyntax.NameAddr, "RFC 3515 §2.1"),
        new(HeaderId.ReferredBy, "Referred-By", 'b', HeaderArity.Single, HeaderSyntax.NameAddr, "RFC 3892 §3"),
        new(HeaderId.Date, "Date", '\0', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.17"),
        new(HeaderId.Timestamp, "Timestamp", '\0', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.38"),
        new(HeaderId.Warning, "Warning", '\0', HeaderArity.List, HeaderSyntax.Text, "RFC 3261 §20.43"),
        new(HeaderId.Priority, "Priority", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.26"),
        new(HeaderId.Organization, "Organization", '\0', HeaderArity.Single, HeaderSyntax.Text, "RFC 3261 §20.25"),
        new(HeaderId.ReplyTo, "Reply-To", '\0', HeaderArity.Single, HeaderSyntax.NameAddr, "RFC 3261 §20.31"),
        new(HeaderId.InReplyTo, "In-Reply-To", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3261 §20.21"),
        new(HeaderId.AlertInfo, "Alert-Info", '\0', HeaderArity.List, HeaderSyntax.Text, "RFC 3261 §20.4"),
        new(HeaderId.CallInfo, "Call-Info", '\0', HeaderArity.List, HeaderSyntax.Text, "RFC 3261 §20.9"),
        new(HeaderId.ErrorInfo, "Error-Info", '\0', HeaderArity.List, HeaderSyntax.Text, "RFC 3261 §20.18"),
        new(HeaderId.MimeVersion, "MIME-Version", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 3261 §20.24"),
        new(HeaderId.AcceptContact, "Accept-Contact", 'a', HeaderArity.List, HeaderSyntax.Text, "RFC 3841 §9.2"),
        new(HeaderId.RejectContact, "Reject-Contact", 'j', HeaderArity.List, HeaderSyntax.Text, "RFC 3841 §9.2"),
        new(HeaderId.RequestDisposition, "Request-Disposition", 'd', HeaderArity.List, HeaderSyntax.Token, "RFC 3841 §9.1"),
        new(HeaderId.Identity, "Identity", 'y', HeaderArity.Repeated, HeaderSyntax.Text, "RFC 8224 §4"),
        new(HeaderId.PAssertedIdentity, "P-Asserted-Identity", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3325 §9.1"),
        new(HeaderId.PPreferredIdentity, "P-Preferred-Identity", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3325 §9.2"),
        new(HeaderId.Privacy, "Privacy", '\0', HeaderArity.List, HeaderSyntax.Token, "RFC 3323 §4.2"),
        new(HeaderId.Path, "Path", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3327 §4"),
        new(HeaderId.ServiceRoute, "Service-Route", '\0', HeaderArity.List, HeaderSyntax.NameAddr, "RFC 3608 §5"),
        new(HeaderId.SubscriptionState, "Subscription-State", '\0', HeaderArity.Single, HeaderSyntax.Token, "RFC 6665 §8.2.3"),
    ];

    private static readonly HeaderDefinition?[] ById = BuildById();

    // Names bucketed by length and then by the first byte's low five bits (case folds away: 'V' and 'v' share
    // them), so a lookup compares one name, rarely two: it runs once per header line of every message.
    private static readonly int MaxNameLength = Rows.Max(r => r.Name.Length);

    private static readonly (byte[] Name, HeaderId Id)[]?[] Buckets = BuildBuckets();

    /// <summary>How many <see cref="HeaderId"/> values there are (Unknown included): the size of a per-id table.</summary>
    internal static int IdCount => ById.Length;

    /// <summary>Every known header, in table order.</summary>
    public static IReadOnlyList<HeaderDefinition> All => Rows;

    /// <summary>The row for <paramref name="id"/>; <see cref="HeaderId.Unknown"/> has none.</summary>
    public static HeaderDefinition? Get(HeaderId id) => ById[(int)id];

    /// <summary>Finds a header by name or compact form, case-insensitively (RFC 3261 §7.3.1).</summary>
    public static HeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > MaxNameLength)
        {
            return HeaderId.Unknown;
        }

        var bucket = Buckets[BucketOf(name.Length, name[0])];
        if (bucket is not null)
        {
            foreach (var (candidate, id) in bucket)
            {
                // Names usually arrive in their canonical case, and the exact compare is the cheaper one.
                if (name.SequenceEqual(candidate) || System.Text.Ascii.EqualsIgnoreCase(candidate, name))
                {
                    return id;
                }
            }
        }

        return HeaderId.Unknown;
    }

    /// <summary>Finds a header by name or compact form given as text.</summary>
    public static HeaderId Lookup(string name)
    {
        Span<byte> bytes = stackalloc byte[Math.Min(name.Length, 64)];
        return name.Length > 64 || System.Text.Ascii.FromUtf16(name, bytes, out var written) != System.Buffers.OperationStatus.Done
            ? HeaderId.Unknown
            : Lookup(bytes[..written]);
    }

    private static HeaderDefinition?[] BuildById()
    {
        var byId = new HeaderDefinition?[Enum.GetValues<HeaderId>().Length];
        foreach (var row in Rows)
        {
            if (byId[(int)row.Id] is not null)
            {
                throw new InvalidOperationException($"Header {row.Id} is in the table twice.");
            }

            byId[(int)row.Id] = row;
        }

        return byId;
    }

    private static int BucketOf(int length, byte first) => (length << 5) | (first & 0x1F);

    private static (byte[] Name, HeaderId Id)[]?[] BuildBuckets()
    {
        var names = new List<(byte[] Name, HeaderId Id)>();
        foreach (var row in Rows)
        {
            names.Add((Encoding.ASCII.GetBytes(row.Name), row.Id));
            if (row.Compact != '\0')
            {
                names.Add(([(byte)row.Compact], row.Id));
            }
        }

        var buckets = new (byte[] Name, HeaderId Id)[]?[BucketOf(MaxNameLength, 0x1F) + 1];
        foreach (var group in names.GroupBy(n => BucketOf(n.Name.Length, n.Name[0])))
        {
            buckets[group.Key] = [.. group];
        }

        return buckets;
    }
}
