using System.Security.Cryptography;
using CallControl.Sip.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Edge.Hosting;

/// <summary>
/// The digest nonce keys, derived from the cluster secret and the previous ones (HKDF, so the nonce key is not the
/// Call-ID key): every silo's registrar and every edge's 407 then issue and accept the same nonces.
/// </summary>
public static class DigestNonceKeys
{
    /// <summary>Sets <see cref="DigestAuthOptions.NonceSecret"/> and its previous keys from the cluster's secrets.</summary>
    public static IServiceCollection AddDigestNonceKeys(this IServiceCollection services, string secret, IEnumerable<string> previous)
    {
        var current = Derive(secret);
        var old = previous.Select(Derive).ToList();
        services.AddOptions<DigestAuthOptions>().Configure(o =>
        {
            o.NonceSecret = current;
            foreach (var key in old)
            {
                o.PreviousNonceSecrets.Add(key);
            }
        });
        return services;
    }

    private static byte[] Derive(string secret)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, System.Text.Encoding.UTF8.GetBytes(secret), 32, info: "callcontrol/digest-nonce/v1"u8.ToArray());
}
