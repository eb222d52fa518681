using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Dns;

/// <summary>Registers the RFC 3263 locator and its settings for a host that sends to targets by name (a silo, an edge).</summary>
public static class DnsRegistration
{
    /// <summary>
    /// Binds <c>CallControl:Dns</c>, checked before the host starts (a bad server stops start-up naming its key), and
    /// one <see cref="ISipLocator"/> for the whole process, so its cache serves the silo and a co-hosted edge alike.
    /// Safe to call from each part of a host: only the first call binds (a second would append the list again).
    /// </summary>
    public static IServiceCollection AddSipLocator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ISipLocator)))
        {
            return services;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>());
        services.AddOptions<DnsOptions>().Bind(configuration.GetSection(DnsOptions.Section)).ValidateOnStart();
        services.AddSingleton<ISipLocator, DnsSipLocator>();
        return services;
    }
}
