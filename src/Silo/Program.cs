using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The embedded default: one silo (localhost clustering, in-memory grain storage) with the SIP edge
// co-hosted. Configuration files are read from beside the binary; relative paths (the CDR log) are
// relative to the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
var siloProblems = new SiloOptionsValidator().Validate(null, silo);
if (siloProblems.Failed)
{
    return ConfigurationError(siloProblems.Failures!);
}

builder.UseOrleans(orleans => orleans
    .UseLocalhostClustering(silo.SiloPort, silo.GatewayPort)
    .AddMemoryGrainStorage(GrainStorage.Dialogs));
builder.Services.AddCallControlGrains(builder.Configuration);
builder.Services.AddSipEdge(builder.Configuration);
builder.Services.AddClusterSecret(builder.Configuration);

using var host = builder.Build();
try
{
    // Validate every option before anything starts, so a bad value is one clear line, not a failed start.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (OptionsValidationException e)
{
    return ConfigurationError(e.Failures);
}
catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    return ConfigurationError([e.Message]);
}

await host.RunAsync();
return 0;

static int ConfigurationError(IEnumerable<string> failures)
{
    foreach (var failure in failures)
    {
        Console.Error.WriteLine($"Configuration error: {failure}");
    }

    return 2;
}
