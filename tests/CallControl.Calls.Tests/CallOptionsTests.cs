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
}
