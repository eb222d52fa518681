using Microsoft.Extensions.DependencyInjection;
using CallControl.Grains;
using Microsoft.Extensions.Configuration;
using CallControl.Calls;
using CallControl.Grains.Dialogs;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>CallControl:Calls values that cannot work are refused, naming the key.</summary>
public sealed class CallOptionsTests
{
    [Theory]
    [InlineData("00:00:00", true)] // parking off
    [InlineData("00:00:01", true)]
    [InlineData("00:00:40", true)] // the default
    [InlineData("01:00:00", true)]
    [InlineData("00:00:00.500", false)]
    [InlineData("01:00:01", false)]
    [InlineData("-00:00:01", false)]
    public void ParkAfter_is_0_or_between_1_s_and_1_h(string value, bool valid)
    {
        var result = new CallOptionsValidator().Validate(null, new CallOptions { ParkAfter = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("CallControl:Calls:ParkAfter", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_default_parks_after_64_t1_with_the_default_t1()
        => Assert.True(new CallOptions().ParkAfter > new Sip.Transactions.SipTimerOptions().SixtyFourT1);

    [Theory]
    [InlineData("1800", "90", 1800, 90)] // as issue 20 and RFC 4028 spell them: seconds
    [InlineData("00:30:00", "00:01:30", 1800, 90)]
    [InlineData("0", "90", 0, 90)] // session timers off
    public void Session_intervals_are_read_as_seconds_or_as_a_timespan(string expires, string minimum, int expiresSeconds, int minimumSeconds)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CallControl:Calls:SessionExpires"] = expires, ["CallControl:Calls:MinSessionExpires"] = minimum })
            .Build();
        using var services = ((Microsoft.Extensions.DependencyInjection.IServiceCollection)new Microsoft.Extensions.DependencyInjection.ServiceCollection()).AddCallControlGrains(configuration).BuildServiceProvider();

        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<CallOptions>>(services).Value;

        Assert.Equal((TimeSpan.FromSeconds(expiresSeconds), TimeSpan.FromSeconds(minimumSeconds)), (options.SessionExpires, options.MinSessionExpires));
    }
}
