using CallControl.Edge.Security;
using CallControl.Sip.Transactions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>Registers the SIP edge in a host: a silo's (co-hosted) or an Orleans client's (standalone).</summary>
public static class EdgeHostingExtensions
{
    /// <summary>
    /// Adds the edge and its validated options (<c>CallControl:Edge</c>, <c>CallControl:Sip:Timers</c>, <c>CallControl:Security</c>, the keep-alives' keys of <c>CallControl:Registrar</c>, <c>CallControl:Messages</c>),
    /// with <paramref name="trustedByDefault"/> the networks trusted when none are configured (none if not given).
    /// The host must also provide an <see cref="IGrainFactory"/>, a <see cref="Grains.CallIdCodec"/> and the digest nonce keys.
    /// </summary>
    public static IServiceCollection AddSipEdge(this IServiceCollection services, IConfiguration configuration, Security.TrustedByDefault? trustedByDefault = null)
    {
        services.AddEdgeSecurity(configuration, trustedByDefault ?? Security.TrustedByDefault.None);
        services.AddOptions<EdgeOptions>().Bind(configuration.GetSection(EdgeOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        services.AddOptions<SipTimerOptions>().Bind(configuration.GetSection(SipTimerOptions.Section));
        services.AddSipTimerValidation();
        services.AddOptions<Registrar.NatKeepAliveOptions>().Bind(configuration.GetSection(Registrar.NatKeepAliveOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Registrar.NatKeepAliveOptions>, Registrar.NatKeepAliveOptionsValidator>();
        services.AddOptions<Messages.MessageOptions>().Bind(configuration.GetSection(Messages.MessageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Messages.MessageOptions>, Messages.MessageOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System); // a host's own clock (a test's fake one) wins
        services.AddMetrics(); // the edge's meters come from the host's IMeterFactory (a web host has it already)
        services.AddSingleton<Routing.DrainSwitch>();
        Sip.Dns.DnsRegistration.AddSipLocator(services, configuration); // names left in in-dialog peers (CallControl:Dns)
        services.AddSingleton<SipEdgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipEdgeService>());
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<SipEdgeService>());
        services.AddSingleton<EdgeDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeDrain>());
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<EdgeDrain>());
        services.AddHostedService<EdgeAnnouncer>(); // after the edge: it announces the edge's bound ports and observer

        // The host cancels stopping after its ShutdownTimeout (30 s by default): leave room for the drain and after it.
        // Read from configuration, not from the bound options: a bad value elsewhere in the section must reach the
        // options validation (one line naming the key), not throw here while the host is being built.
        services.AddOptions<Microsoft.Extensions.Hosting.HostOptions>().Configure(host =>
        {
            var drain = TimeSpan.TryParse(configuration[EdgeOptions.Section + ":DrainTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero ? parsed : TimeSpan.Zero;
            host.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(host.ShutdownTimeout.Ticks, (drain + EdgeDrain.StopMargin).Ticks));
        });
        return services;
    }
}
