using CallControl.Edge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CallControl.Silo;

/// <summary>
/// The silo as a library: a developer's own host adds its flows and grains to a builder, then runs CallControl in
/// it. This is the whole of src/Silo's Program, so the product and a custom host start the same way:
/// <code>
/// var builder = CallControlSilo.CreateBuilder(args);
/// builder.Services.AddCallFlow&lt;MyFlow&gt;("my-flow");
/// return await CallControlSilo.RunAsync(builder);
/// </code>
/// </summary>
public static class CallControlSilo
{
    /// <summary>A builder with CallControl's configuration sources (appsettings.json beside the binary, environment, arguments).</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
        => WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    /// <summary>
    /// Adds the silo (Orleans, storage, grains, the co-hosted edge unless disabled), validates every option, migrates
    /// the schema, checks the dial plan, and runs until stopped. Returns the process exit code: 0, or
    /// <see cref="StartupChecks.ConfigurationExitCode"/> with one line per problem naming its key.
    /// </summary>
    public static async Task<int> RunAsync(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
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
            }
            catch (Npgsql.NpgsqlException e)
            {
                return StartupChecks.Fail([$"{CallControl.Storage.StorageOptions.Section}:ConnectionString: cannot migrate the database: {e.Message}"]);
            }

            // A route whose row does not validate is logged now, with its route and field (its calls get 500), not at its first call.
            await host.Services.GetRequiredService<CallControl.Storage.PostgresDialPlan>().CheckAllAsync(CancellationToken.None);
        }

        await host.RunAsync();
        return 0;
    }
}
