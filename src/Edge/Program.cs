using CallControl.Edge.Hosting;
using CallControl.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

// A standalone edge: an Orleans client of the cluster (found through Redis: CallControl:Cluster:Redis) with the
// SIP edge in front of it. The embedded default co-hosts the same edge inside a silo instead (src/Silo).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var cluster = builder.Configuration.GetSection("CallControl:Cluster");
var secret = cluster["Secret"];
if (string.IsNullOrEmpty(secret))
{
    return StartupChecks.Fail(["CallControl:Cluster:Secret must be set for a standalone edge: it must equal the silos' secret."]);
}

// Logging defaults in code (src/Silo's appsettings.json would shadow a file of ours in the silo's output).
builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));

builder.UseOrleansClient(client =>
{
    client.AddActivityPropagation(); // the edge's span for a SIP message is the grain call's parent

    // A SIP turn takes milliseconds: a call with no answer in CallControl:Edge:GrainCallTimeout (5 s) went to a silo
    // that is gone, and is retried (GrainCallPolicy) rather than held for Orleans' default 30 s while the caller's
    // transaction times out. Read when the client starts, after every option was validated (StartupChecks).
    client.Services.AddOptions<ClientMessagingOptions>().Configure<IOptions<EdgeOptions>>((o, edge) => o.ResponseTimeout = edge.Value.GrainCallTimeout);
    if (cluster["Redis"] is { Length: > 0 } redis)
    {
        client.UseRedisClustering(redis)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster["ClusterId"] ?? "callcontrol", cluster["ServiceId"] ?? "callcontrol"))
            // A gateway whose silo was declared dead leaves our list within a second (a read of one Redis hash): calls
            // bucketed to a silo cut off by a dropping network would otherwise wait on it, timing out, for 5 s more.
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
    }
    else
    {
        client.UseLocalhostClustering(builder.Configuration.GetValue("CallControl:Silo:GatewayPort", 30000));
    }
});
builder.Services.AddSipEdge(builder.Configuration);
builder.Services.AddClusterSecretOptions(builder.Configuration);
builder.Services.AddDigestNonceKeys(secret, ClusterSecretOptions.PreviousFrom(builder.Configuration)); // this edge's 407s use the registrar's nonces
builder.Services.AddSingleton(_ => new CallIdCodec(secret, ClusterSecretOptions.PreviousFrom(builder.Configuration))); // built after validation
// Every option is validated before anything starts, so a bad value is one clear line, not a failed start.
if (StartupChecks.BuildValidated(builder, "callcontrol-edge") is not { } host)
{
    return StartupChecks.ConfigurationExitCode;
}

await host.RunAsync();
return 0;
