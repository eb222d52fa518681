using CallControl.Edge.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Tests;

/// <summary>The key ring's settings: bound from the environment's list form, and refused, naming the key, when they cannot work.</summary>
public sealed class ClusterSecretOptionsTests
{
    [Fact]
    public void Previous_secrets_bind_from_indexed_keys_in_order()
    {
        var configuration = Configuration(("Secret", "b"), ("PreviousSecrets:0", "a"), ("PreviousSecrets:1", "z"));

        Assert.Equal(["a", "z"], ClusterSecretOptions.PreviousFrom(configuration));
        var options = Bound(configuration);
        Assert.Equal(["a", "z"], options.PreviousSecrets);
        Assert.True(new ClusterSecretOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void No_previous_secrets_is_the_default()
    {
        var configuration = Configuration(("Secret", "b"));

        Assert.Empty(ClusterSecretOptions.PreviousFrom(configuration));
        Assert.True(new ClusterSecretOptionsValidator().Validate(null, Bound(configuration)).Succeeded);
    }

    [Theory]
    [InlineData(null, "a", "CallControl:Cluster:PreviousSecrets is set but CallControl:Cluster:Secret is not")]
    [InlineData("b", "b", "CallControl:Cluster:PreviousSecrets:0 equals the current Secret")]
    [InlineData("b", "", "CallControl:Cluster:PreviousSecrets:0 is empty")]
    public void A_ring_that_cannot_work_is_refused_naming_the_key(string? secret, string previous, string problem)
    {
        var failures = new ClusterSecretOptionsValidator().Validate(null, new ClusterSecretOptions { Secret = secret, PreviousSecrets = [previous] }).Failures;

        Assert.StartsWith(problem, Assert.Single(failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_previous_secret_is_refused_naming_its_index()
    {
        var failures = new ClusterSecretOptionsValidator().Validate(null, new ClusterSecretOptions { Secret = "c", PreviousSecrets = ["b", "a", "b"] }).Failures;

        Assert.StartsWith("CallControl:Cluster:PreviousSecrets:2 repeats", Assert.Single(failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_ring_stops_start_up()
    {
        using var services = new ServiceCollection().AddClusterSecretOptions(Configuration(("Secret", "b"), ("PreviousSecrets:0", "b"))).BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("CallControl:Cluster:PreviousSecrets:0", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"CallControl:Cluster:{s.Key}", s.Value))).Build();

    private static ClusterSecretOptions Bound(IConfiguration configuration)
    {
        var options = new ClusterSecretOptions();
        configuration.GetSection(ClusterSecretOptions.Section).Bind(options);
        return options;
    }
}
