using CallControl.Media.Ng;
using CallControl.Media.Selection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Media;

/// <summary>Registers media control (<c>CallControl:Media</c>).</summary>
public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Adds the validated <see cref="MediaOptions"/> (start-up fails naming the bad key), the ng client
    /// (<see cref="INgClient"/>), the <see cref="RtpenginePool"/> of the configured rtpengines and its health monitor
    /// (idle in passthrough mode), and the <see cref="RtpengineMetrics"/> every command and the pool report to. The ng
    /// socket opens on the first command, so passthrough costs nothing.
    /// </summary>
    public static IServiceCollection AddCallControlMedia(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MediaOptions>, MediaOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics(); // the host's IMeterFactory (a no-op when the host has added it already)
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<MediaOptions>>().Value;
            return new NgClient(new NgRetry(o.NgTimeout, o.NgAttempts), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NgClient>>());
        });
        services.AddSingleton(sp => new RtpenginePool(
            sp.GetRequiredService<IOptions<MediaOptions>>().Value.Rtpengine.Select(e => (NgAddress.Parse(e.Address), e.Weight)),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RtpengineMetrics>();
        services.AddSingleton<INgClient>(sp => new MeteredNgClient(sp.GetRequiredService<NgClient>(), sp.GetRequiredService<RtpengineMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RtpengineHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<RtpengineHealthMonitor>());
        return services;
    }
}
