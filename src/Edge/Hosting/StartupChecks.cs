using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// The one way every process meets bad configuration: validate all options before anything starts, and print
/// one line per problem, each naming its key ("Configuration error: CallControl:...: ..."), then exit 2.
/// </summary>
public static class StartupChecks
{
    /// <summary>The exit code for a configuration error.</summary>
    public const int ConfigurationExitCode = 2;

    /// <summary>
    /// Adds observability (the HTTP port, /healthz, /readyz, /metrics), builds the host and validates every
    /// option before anything starts. Returns the host, or null with the problems already printed.
    /// </summary>
    public static WebApplication? BuildValidated(WebApplicationBuilder builder, string serviceName)
    {
        try
        {
            builder.AddCallControlObservability(serviceName);
        }
        catch (OptionsValidationException e)
        {
            Fail(e.Failures);
            return null;
        }

        var host = builder.Build();
        host.MapCallControlEndpoints();
        if (Validate(host.Services) is { Count: > 0 } problems)
        {
            Fail(problems);
            return null;
        }

        return host;
    }

    /// <summary>Runs every ValidateOnStart validator; returns the problems (empty when all is well).</summary>
    public static IReadOnlyList<string> Validate(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return [e.Message]; // the binder's own message names the key and the value
        }
    }

    /// <summary>Prints the problems to standard error and returns the exit code.</summary>
    public static int Fail(IEnumerable<string> failures)
    {
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"Configuration error: {failure}");
        }

        return ConfigurationExitCode;
    }
}
