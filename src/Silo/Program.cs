using CallControl.Edge.Hosting;
using CallControl.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// A silo. With no CallControl:Cluster:Redis and no CallControl:Storage:ConnectionString it is the embedded
// default: localhost clustering, in-memory state, a JSON-lines CDR log and the SIP edge co-hosted.
// Configuration files are read from beside the binary; relative paths (the CDR log) from the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
var siloProblems = new SiloOptionsValidator().Validate(null, silo);
if (siloProblems.Failed)
{
    return StartupChecks.Fail(siloProblems.Failures!);
}

if (ClusterSettings.From(builder.Configuration).Redis is not null && string.IsNullOrEmpty(builder.Configuration[ClusterSecret.Key]))
{
    return StartupChecks.Fail([$"{ClusterSecret.Key} must be set when clustering through Redis: every silo and edge needs the same secret."]);
}

var dataSource = builder.AddCallControlSilo(silo);
// Every option is validated before anything starts, so a bad value is one clear line, not a failed start.
if (StartupChecks.BuildValidated(builder, "callcontrol-silo") is not { } host)
{
    return StartupChecks.ConfigurationExitCode;
}

if (dataSource is not null)
{
    try
    {
        await SiloHosting.MigrateAsync(dataSource, host.Services, CancellationToken.None);

        // A route whose row does not validate is logged now, with its route and field (its calls get 500), not at its first call.
        await host.Services.GetRequiredService<CallControl.Storage.PostgresDialPlan>().CheckAllAsync(CancellationToken.None);
    }
    catch (Npgsql.NpgsqlException e)
    {
        return StartupChecks.Fail([$"{CallControl.Storage.StorageOptions.Section}:ConnectionString: cannot migrate the database: {e.Message}"]);
    }
}

await host.RunAsync();
return 0;
