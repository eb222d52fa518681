using System.Text;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>
/// Applies a route's <see cref="RoutePolicy"/> to a message being built for the other leg (docs/interop.md, "Header
/// policy and number normalisation"): which of the relayed message's headers cross, and the identity headers of the
/// INVITE toward a callee. Every relay of the B2BUA goes through here; an out-of-dialog relay (MESSAGE, OPTIONS) should too.
/// </summary>
internal static class PolicyHeaders
{
    /// <summary>
    /// Copies the headers of <paramref name="source"/> that cross a message of <paramref name="kind"/> under
    /// <paramref name="policy"/>, in order, except those <paramref name="written"/> names (headers the caller of this
    /// method writes itself: a dial target's own, a rewritten identity).
    /// </summary>
    public static SipMessageBuilder CopyCrossing(this SipMessageBuilder builder, SipMessage source, HeaderPolicy policy, HeaderCrossingKind kind, IEnumerable<string>? written = null)
    {
        string[] own = written is null ? [] : [.. written];
        return builder.CopyWhere(source, (id, name) => policy.Crosses(kind, id, name) && (own.Length == 0 || !HeaderPolicy.Matches(own, name)));
    }

    /// <summary>The From of a callee leg's INVITE (without its tag): the caller's, with the route's user and display name, its user normalised.</summary>
    public static NameAddress From(NameAddress caller, RoutePolicy policy, HeaderParameters parameters)
    {
        var uri = caller.Uri.WithUser(policy.Normalise(policy.Rewrite.FromUser ?? caller.Uri.User));
        return new NameAddress(caller.Uri.Opaque is null ? uri : caller.Uri, policy.Rewrite.FromDisplay ?? caller.DisplayName, parameters);
    }

    /// <summary>The To of a callee leg's INVITE: the caller's, with the route's user, normalised.</summary>
    public static NameAddress To(NameAddress caller, RoutePolicy policy)
    {
        var uri = caller.Uri.WithUser(policy.Normalise(policy.Rewrite.ToUser ?? caller.Uri.User));
        return new NameAddress(caller.Uri.Opaque is null ? uri : caller.Uri, caller.DisplayName);
    }

    /// <summary>The identity headers the policy writes itself rather than letting them cross as they came.</summary>
    public static IEnumerable<string> Rewritten(RoutePolicy policy)
    {
        if (policy.Rewrite.PAssertedIdentity is not null || policy.Numbers.Length > 0)
        {
            yield return "P-Asserted-Identity";
        }

        if (policy.Rewrite.Privacy is not null)
        {
            yield return "Privacy";
        }
    }

    /// <summary>
    /// Writes the INVITE's P-Asserted-Identity and Privacy as the policy says: the rewrite's identity (or the From's,
    /// <paramref name="from"/>), else the caller's identities with their users normalised (when they cross); the rewrite's
    /// Privacy, none for <see cref="IdentityRewrite.Remove"/>.
    /// </summary>
    public static SipMessageBuilder AddIdentity(this SipMessageBuilder builder, SipMessage callerInvite, RoutePolicy policy, Func<SipUri> from)
    {
        if (policy.Rewrite.PAssertedIdentity is not null)
        {
            builder.Add(HeaderId.PAssertedIdentity, policy.Rewrite.AssertedIdentity(from())!);
        }
        else if (policy.Numbers.Length > 0 && policy.Headers.Crosses(HeaderCrossingKind.Invite, HeaderId.PAssertedIdentity, "P-Asserted-Identity"u8))
        {
            foreach (var value in callerInvite.Values(HeaderId.PAssertedIdentity))
            {
                builder.Add(HeaderId.PAssertedIdentity, NameAddress.TryParse(value.Span, out var identity) && identity.Uri.Opaque is null
                    ? new NameAddress(identity.Uri.WithUser(policy.Normalise(identity.Uri.User)), identity.DisplayName, identity.Parameters).ToString()
                    : Encoding.UTF8.GetString(value.Span));
            }
        }

        if (policy.Rewrite.Privacy is { } privacy && privacy != IdentityRewrite.Remove)
        {
            builder.Add(HeaderId.Privacy, privacy);
        }

        return builder;
    }
}
