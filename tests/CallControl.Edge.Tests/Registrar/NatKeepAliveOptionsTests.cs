using CallControl.Edge.Hosting;
using CallControl.Edge.Registrar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// <c>CallControl:Registrar</c>'s keep-alive keys: bound as the edge binds them (<see cref="EdgeHostingExtensions.AddSipEdge"/>),
/// defaults as documented, and a bad value stops the host's start naming the key.
/// </summary>
public sealed class NatKeepAliveOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_on()
    {
        var options = Bound();

        Assert.True(new NatKeepAliveOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((TimeSpan.FromSeconds(25), NatKeepAliveMethod.Options, 3, 500_000), (options.NatKeepAlive, options.NatKeepAliveMethod, options.NatKeepAliveFailures, options.NatKeepAliveMaxFlows));
        Assert.True(options.Enabled);
    }

    [Fact]
    public void The_keys_bind_and_zero_turns_keep_alives_off()
    {
        var options = Bound(("NatKeepAlive", "00:00:00"), ("NatKeepAliveMethod", "crlf"), ("NatKeepAliveFailures", "5"), ("NatKeepAliveMaxFlows", "10"));

        Assert.True(new NatKeepAliveOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((TimeSpan.Zero, NatKeepAliveMethod.Crlf, 5, 10), (options.NatKeepAlive, options.NatKeepAliveMethod, options.NatKeepAliveFailures, options.NatKeepAliveMaxFlows));
        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData("NatKeepAlive", "00:00:00.500", "CallControl:Registrar:NatKeepAlive must be 0 (off) or from 00:00:01 to 01:00:00")]
    [InlineData("NatKeepAlive", "-00:00:05", "CallControl:Registrar:NatKeepAlive must be 0 (off)")]
    [InlineData("NatKeepAlive", "02:00:00", "CallControl:Registrar:NatKeepAlive must be 0 (off)")]
    [InlineData("NatKeepAliveFailures", "0", "CallControl:Registrar:NatKeepAliveFailures must be from 1 to 100")]
    [InlineData("NatKeepAliveMaxFlows", "0", "CallControl:Registrar:NatKeepAliveMaxFlows must be at least 1")]
    public void A_bad_value_fails_naming_its_key(string key, string value, string failure)
    {
        var failures = new NatKeepAliveOptionsValidator().Validate(null, Bound((key, value))).Failures;

        Assert.StartsWith(failure, Assert.Single(failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_stops_the_edges_host_at_start()
    {
        // What the host runs first at start (ValidateOnStart), before any hosted service.
        using var provider = new ServiceCollection().AddSipEdge(Configuration([("NatKeepAliveFailures", "0")])).BuildServiceProvider();

        var errors = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(errors.InnerExceptions, e => e is OptionsValidationException && e.Message.Contains("CallControl:Registrar:NatKeepAliveFailures must be from 1 to 100", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NatKeepAlive", "soon")]
    [InlineData("NatKeepAliveMethod", "Stun")]
    public void A_value_that_does_not_parse_names_its_key(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bound((key, value)));

        Assert.Contains($"CallControl:Registrar:{key}", error.Message, StringComparison.Ordinal);
    }

    private static NatKeepAliveOptions Bound(params (string Key, string Value)[] settings)
    {
        var options = new NatKeepAliveOptions();
        Configuration(settings).GetSection(NatKeepAliveOptions.Section).Bind(options);
        return options;
    }

    private static IConfiguration Configuration((string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{NatKeepAliveOptions.Section}:{s.Key}", s.Value))).Build();
}
