using CallControl.Sip.Transactions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// <c>CallControl:Sip:Timers</c> is checked before a host starts: RFC 3261's defaults pass, and a value that would break
/// the transaction machines (or keep a transaction for ever) fails with a message that names its key, once.
/// </summary>
public sealed class SipTimerValidationTests
{
    [Fact]
    public void The_RFC_3261_defaults_are_valid()
        => Assert.True(new SipTimerOptionsValidator().Validate(null, new SipTimerOptions()).Succeeded);

    [Theory]
    [InlineData("T1", 0)]
    [InlineData("T1", -1)]
    [InlineData("T1", 10_001)]
    [InlineData("T2", 400)]     // shorter than T1 (500 ms)
    [InlineData("T2", 60_001)]
    [InlineData("T4", 0)]
    [InlineData("T4", 60_001)]
    [InlineData("TimerD", -1)]
    [InlineData("TimerD", 300_001)]
    public void A_timer_out_of_range_fails_naming_its_key(string key, int milliseconds)
    {
        var options = new SipTimerOptions();
        typeof(SipTimerOptions).GetProperty(key)!.SetValue(options, TimeSpan.FromMilliseconds(milliseconds));

        var result = new SipTimerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith($"CallControl:Sip:Timers:{key} ", StringComparison.Ordinal));
    }

    [Fact]
    public void T2_equal_to_a_longer_T1_is_valid()
        => Assert.True(new SipTimerOptionsValidator().Validate(null, new SipTimerOptions { T1 = TimeSpan.FromSeconds(4), T2 = TimeSpan.FromSeconds(4) }).Succeeded);

    [Fact]
    public void A_host_that_registers_the_validation_twice_stops_at_start_up_with_one_line_per_problem()
    {
        var services = new ServiceCollection();
        services.AddOptions<SipTimerOptions>().Configure(o => o.T1 = TimeSpan.Zero);
        services.AddSipTimerValidation(); // the edge's
        services.AddSipTimerValidation(); // the silo's, for its grains
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("CallControl:Sip:Timers:T1 ", failure, StringComparison.Ordinal);
    }
}
