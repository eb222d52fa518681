using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>Binds and validates <see cref="DigestAuthOptions"/> for a host that challenges (a registrar, an edge).</summary>
public static class DigestAuthRegistration
{
    /// <summary>
    /// Binds <c>CallControl:Sip:Auth</c> and checks it before the host starts (<see cref="DigestAuthOptionsValidator"/>),
    /// so a bad algorithm list stops start-up naming its key. Safe to call from each part of a host (a silo's
    /// registrar and its co-hosted edge): only the first call binds, since a second binding would append the list's
    /// items again. The host still sets <see cref="DigestAuthOptions.NonceSecret"/> (from the cluster secret) after this.
    /// </summary>
    public static OptionsBuilder<DigestAuthOptions> AddDigestAuthOptions(this IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddOptions<DigestAuthOptions>();
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<DigestAuthOptions>) && d.ImplementationType == typeof(DigestAuthOptionsValidator)))
        {
            return options;
        }

        services.AddSingleton<IValidateOptions<DigestAuthOptions>, DigestAuthOptionsValidator>();
        return options.Bind(configuration.GetSection(DigestAuthOptions.Section)).ValidateOnStart();
    }
}
