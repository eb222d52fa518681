using CallControl.Edge.Hosting;
using CallControl.Edge.Routing;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The grain-call settings (<c>CallControl:Edge:GrainCall*</c>): today's values are the defaults, and a value the policy
/// cannot work with fails validation with a message that names its key.
/// </summary>
public sealed class EdgeGrainCallOptionsTests
{
    [Fact]
    public void The_defaults_are_the_policy_the_edge_always_had_and_are_valid()
    {
        var options = new EdgeOptions();
        Assert.Equal(new GrainCallSettings(TimeSpan.FromSeconds(5), 8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)), options.GrainCalls);
        Assert.True(new EdgeOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("GrainCallTimeout", "00:00:00")]
    [InlineData("GrainCallTimeout", "00:00:00.050")]
    [InlineData("GrainCallTimeout", "00:05:00")]
    [InlineData("GrainCallRetries", "-1")]
    [InlineData("GrainCallRetries", "101")]
    [InlineData("GrainCallRetryDelay", "00:00:00")]
    [InlineData("GrainCallRetryDelay", "00:00:11")]
    [InlineData("GrainCallRetryMaxDelay", "00:00:00.050")] // shorter than the first delay (100 ms)
    [InlineData("GrainCallRetryMaxDelay", "00:02:00")]
    public void A_value_out_of_range_fails_with_its_key(string key, string value)
    {
        var options = new EdgeOptions();
        var property = typeof(EdgeOptions).GetProperty(key)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var result = new EdgeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith($"CallControl:Edge:{key} ", StringComparison.Ordinal));
    }

    [Fact]
    public void No_retries_is_a_valid_choice()
        => Assert.True(new EdgeOptionsValidator().Validate(null, new EdgeOptions { GrainCallRetries = 0 }).Succeeded);
}
