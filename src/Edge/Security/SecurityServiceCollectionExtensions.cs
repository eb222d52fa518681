using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CallControl.Sip.Auth;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Security;

/// <summary>Registers the edge's border (<c>CallControl:Security</c>).</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds the validated options, <see cref="EdgeSecurity"/> and <see cref="ClusterBans"/>; <paramref name="trustedByDefault"/>
    /// applies when TrustedNetworks is not configured. The host must provide the digest challenger's nonce keys.
    /// </summary>
    public static IServiceCollection AddEdgeSecurity(this IServiceCollection services, IConfiguration configuration, TrustedByDefault trustedByDefault)
    {
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton(trustedByDefault);
        services.AddDigestAuthOptions(configuration); // the algorithms the 407s offer (a no-op when the silo bound them)
        services.TryAddSingleton<Sip.Auth.NonceService>();
        services.TryAddSingleton<Sip.Auth.DigestChallenger>();
        services.AddSingleton<EdgeSecurity>();
        services.AddHostedService<ClusterBans>();
        return services;
    }
}
