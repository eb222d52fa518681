using CallControl.Edge.Hosting;
using CallControl.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// A standalone edge: an Orleans client of the cluster with the SIP edge in front of it.
// (The embedded default co-hosts the same edge inside a silo: see src/Silo.)
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleansClient(client => client.UseLocalhostClustering());
builder.Services.AddSipEdge(builder.Configuration);
builder.Services.AddSingleton(sp => new CallIdCodec(
    builder.Configuration["CallControl:Cluster:Secret"] is { Length: > 0 } secret
        ? secret
        : throw new OptionsValidationException("CallControl:Cluster:Secret", typeof(string), ["CallControl:Cluster:Secret must be set for a standalone edge: it must equal the silos' secret."])));

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", e.Failures)}");
    return 2;
}
