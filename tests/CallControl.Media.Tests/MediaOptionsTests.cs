using CallControl.Media.Ng;
using CallControl.Media.Selection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Media.Tests;

public sealed class MediaOptionsTests
{
    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        return new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)).AddCallControlMedia(configuration).BuildServiceProvider();
    }

    private static string StartupFailure(params (string, string)[] settings)
    {
        using var provider = Provider(settings);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Message;
    }

    [Fact]
    public void Passthrough_is_the_default_and_needs_no_rtpengine()
    {
        using var provider = Provider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<MediaOptions>>().Value;
        Assert.Equal((MediaMode.Passthrough, TimeSpan.FromSeconds(1), 3), (options.Mode, options.NgTimeout, options.NgAttempts));
    }

    [Fact]
    public void Anchor_without_an_rtpengine_fails_at_start_naming_the_key()
    {
        Assert.Contains("CallControl:Media:Rtpengine:0:Address is required when CallControl:Media:Mode is anchor", StartupFailure(("CallControl:Media:Mode", "anchor")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CallControl:Media:Rtpengine:0:Address", "localhost", "CallControl:Media:Rtpengine:0:Address")]
    [InlineData("CallControl:Media:Rtpengine:0:Address", "::1:2223", "CallControl:Media:Rtpengine:0:Address")]
    [InlineData("CallControl:Media:Rtpengine:0:Weight", "-1", "CallControl:Media:Rtpengine:0:Weight")]
    [InlineData("CallControl:Media:NgAttempts", "0", "CallControl:Media:NgAttempts")]
    [InlineData("CallControl:Media:NgTimeout", "00:00:00", "CallControl:Media:NgTimeout")]
    [InlineData("CallControl:Media:HealthInterval", "-00:00:01", "CallControl:Media:HealthInterval")]
    public void A_bad_setting_fails_at_start_naming_its_key(string key, string value, string named)
    {
        var message = key.Contains("Rtpengine:0:Address", StringComparison.Ordinal)
            ? StartupFailure(("CallControl:Media:Mode", "anchor"), (key, value))
            : StartupFailure(("CallControl:Media:Mode", "anchor"), ("CallControl:Media:Rtpengine:0:Address", "127.0.0.1:2223"), (key, value));
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anchor_with_rtpengines_binds_them_into_the_pool_in_order()
    {
        using var provider = Provider(
            ("CallControl:Media:Mode", "anchor"),
            ("CallControl:Media:Rtpengine:0:Address", "10.0.0.5:2223"),
            ("CallControl:Media:Rtpengine:1:Address", "[2001:db8::5]:2223"),
            ("CallControl:Media:Rtpengine:1:Weight", "3"));
        provider.GetRequiredService<IStartupValidator>().Validate();
        var engines = provider.GetRequiredService<RtpenginePool>().Snapshot();
        Assert.Equal([new NgAddress("10.0.0.5", 2223), new NgAddress("2001:db8::5", 2223)], engines.Select(e => e.Address));
        Assert.Equal([1, 3], engines.Select(e => e.Weight));
        Assert.Equal("[2001:db8::5]:2223", engines[1].Address.ToString());
        Assert.IsType<MeteredNgClient>(provider.GetRequiredService<INgClient>()); // every command is counted (RtpengineMetrics)
    }

    [Theory]
    [InlineData("127.0.0.1:2223", "127.0.0.1", 2223)]
    [InlineData("rtpengine-0.media:2223", "rtpengine-0.media", 2223)]
    [InlineData("[::1]:7722", "::1", 7722)]
    public void Ng_addresses_parse_and_print_back(string text, string host, int port)
    {
        var address = NgAddress.Parse(text);
        Assert.Equal((host, port, text), (address.Host, address.Port, address.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData(":2223")]
    [InlineData("[::1:2223")]
    [InlineData("a b:1")]
    public void Bad_ng_addresses_do_not_parse(string text) => Assert.False(NgAddress.TryParse(text, out _));
}
