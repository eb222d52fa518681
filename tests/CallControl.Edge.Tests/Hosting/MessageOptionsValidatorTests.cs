using CallControl.Edge.Messages;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>A bad <c>CallControl:Messages</c> value stops the edge, naming the key.</summary>
public sealed class MessageOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_each_bad_value_is_named()
    {
        var validator = new MessageOptionsValidator();
        Assert.True(validator.Validate(null, new MessageOptions()).Succeeded);

        var failed = validator.Validate(null, new MessageOptions { MaxBodySize = -1, Timeout = TimeSpan.FromSeconds(31) });

        Assert.Contains("CallControl:Messages:MaxBodySize", failed.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CallControl:Messages:Timeout", failed.FailureMessage, StringComparison.Ordinal);
    }
}
