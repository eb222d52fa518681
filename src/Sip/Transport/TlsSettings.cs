using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CallControl.Sip.Transport;

/// <summary>
/// What TLS needs: our certificate, and how to judge a server's when we connect out (RFC 5630, RFC 5922): the
/// certificates trusted as roots (null: the system's store) and a last word on the verdict (<see cref="ValidateServer"/>,
/// which sees the name and chain errors found against the host the destination named).
/// </summary>
/// <param name="Certificate">Ours, for inbound connections.</param>
/// <param name="ValidateServer">Decides on a server's certificate, given the errors found; null: no error is accepted.</param>
/// <param name="TrustedRoots">The only roots a server's chain may end in; null: the system trust store's.</param>
public sealed record TlsSettings(
    X509Certificate2 Certificate,
    RemoteCertificateValidationCallback? ValidateServer = null,
    X509Certificate2Collection? TrustedRoots = null)
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>
    /// The chain policy for one outbound handshake: with <see cref="TrustedRoots"/>, chains are built against them
    /// alone (<see cref="X509ChainTrustMode.CustomRootTrust"/>) and the server's certificate must be for server
    /// authentication; revocation is not checked, as with the system store (SslStream's default). Null without them.
    /// A new policy each time: SslStream may keep and change the one it is given.
    /// </summary>
    public X509ChainPolicy? ServerChainPolicy()
    {
        if (TrustedRoots is null)
        {
            return null;
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(TrustedRoots);
        policy.ApplicationPolicy.Add(ServerAuthentication);
        return policy;
    }
}
