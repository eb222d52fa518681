using CallControl.Calls;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Media;
using CallControl.Sip.Dns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Grains;

/// <summary>Registers what the grains need in a silo: routing, the flows, digest authentication, and their validated options.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default router (<c>CallControl:Routing</c>), the shipped flows and the call options. Registrations
    /// already made win, so a host can bring its own router or subscriber store first. The CDR store is not here: the
    /// host registers one (src/Storage's <c>AddCallControlStorage</c>, or its own) and puts the outbox in front of it
    /// (src/Silo's <c>AddCdrOutbox</c>).
    /// </summary>
    public static IServiceCollection AddCallControlGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        services.AddOptions<CallOptions>().Bind(configuration.GetSection(CallOptions.Section))
            .PostConfigure(options => Calls.Sessions.SessionSeconds.Apply(options, configuration.GetSection(CallOptions.Section))).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallOptions>, CallOptionsValidator>();
        services.AddOptions<Sip.Transactions.SipTimerOptions>().Bind(configuration.GetSection(Sip.Transactions.SipTimerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<Dialogs.CallMetrics>();
        services.TryAddSingleton<Dialogs.CallMediaMetrics>();
        services.AddSipLocator(configuration); // targets by DNS name (RFC 3263; CallControl:Dns)
        services.TryAddSingleton<DialTargetLocator>();
        services.TryAddSingleton<DefaultTargetRouter>();
        services.TryAddSingleton<ConfiguredDialPlan>();
        services.TryAddSingleton<ICallRouter>(sp => sp.GetRequiredService<ConfiguredDialPlan>());
        services.TryAddSingleton<IRouteCredentials, ConfiguredRouteCredentials>(); // a host with a store brings its own
        services.AddBuiltInCallFlows();
        services.AddCallControlMedia(configuration); // rtpengine control: idle unless CallControl:Media:Mode is anchor
        services.TryAddSingleton<Media.IMediaSessionIndex, Media.MemoryMediaSessionIndex>(); // a host with a store brings its own
        services.AddHostedService<Media.MediaFailoverWatch>();
        services.TryAddSingleton<PrepaidCharges>(); // the prepaid flow's charges that wait for their account (a store outage)
        services.AddHostedService(sp => sp.GetRequiredService<PrepaidCharges>());

        // The wake-up reminder of a ringing call ticks every few seconds until its dial deadline passes: a tick that
        // finds the call's old silo not yet declared dead fails, and the next must come soon, not a minute later.
        // Ticks are timers on the reminder's owning silo, not storage writes, so a short period costs little.
        services.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = Dialogs.DialogGrain.WakeUpPeriod);
        // Without a store of the host's (PostgreSQL's table), the subscribers configured under CallControl:Subscribers.
        services.AddOptions<List<Registrar.SubscriberEntry>>().Configure(list => list.AddRange(Registrar.SubscriberEntry.Read(configuration.GetSection(Registrar.SubscriberEntry.Section)))).ValidateOnStart();
        services.AddSingleton<IValidateOptions<List<Registrar.SubscriberEntry>>, Registrar.SubscriberListValidator>();
        services.TryAddSingleton<Registrar.ISubscriberStore, Registrar.ConfiguredSubscribers>();
        services.TryAddSingleton<Edges.LiveEdgeView>();
        services.AddOptions<Registrar.RegistrarOptions>().Bind(configuration.GetSection(Registrar.RegistrarOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Registrar.RegistrarOptions>, Registrar.RegistrarOptionsValidator>();
        services.TryAddSingleton<IBanStore, MemoryBanStore>();
        services.TryAddSingleton<Sip.Auth.NonceService>();
        services.TryAddSingleton<Sip.Auth.DigestChallenger>();
        services.TryAddSingleton<Sip.Auth.DigestVerifier>();
        return services;
    }
}
