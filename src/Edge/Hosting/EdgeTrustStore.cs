using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CallControl.Edge.Hosting;

/// <summary>The CA certificates outbound TLS trusts instead of the system's (<c>CallControl:Edge:Tls:TrustedCertificatesPath</c>).</summary>
internal static class EdgeTrustStore
{
    /// <summary>Every certificate in a PEM file (other PEM blocks, such as keys, are passed over).</summary>
    /// <exception cref="CryptographicException">A certificate block cannot be read.</exception>
    public static X509Certificate2Collection Load(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    /// <summary>Why the file cannot serve as the trust store, or null when it exists and holds a certificate.</summary>
    public static string? Problem(string path)
    {
        if (!File.Exists(path))
        {
            return "does not exist";
        }

        try
        {
            return Load(path).Count == 0 ? "holds no PEM certificate (-----BEGIN CERTIFICATE-----)" : null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
    }
}
