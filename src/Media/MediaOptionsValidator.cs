using CallControl.Media.Ng;
using Microsoft.Extensions.Options;

namespace CallControl.Media;

/// <summary>Rejects media settings that cannot work, naming the key: anchor without an rtpengine, bad addresses, weights, timeouts.</summary>
public sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    private const string S = MediaOptions.Section;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{S}:Mode must be passthrough or anchor; got {options.Mode}.");
        }

        for (var i = 0; i < options.Rtpengine.Count; i++)
        {
            var engine = options.Rtpengine[i];
            if (!NgAddress.TryParse(engine.Address, out _))
            {
                failures.Add($"{S}:Rtpengine:{i}:Address must be host:port of an rtpengine's ng socket ([v6]:port for IPv6); got '{engine.Address}'.");
            }

            if (engine.Weight < 0)
            {
                failures.Add($"{S}:Rtpengine:{i}:Weight must be 0 (no new calls) or more (default 1); got {engine.Weight}.");
            }
        }

        if (options.Mode == MediaMode.Anchor && options.Rtpengine.Count == 0)
        {
            failures.Add($"{S}:Rtpengine:0:Address is required when {S}:Mode is anchor (the ng address of an rtpengine, host:port).");
        }
        else if (options.Mode == MediaMode.Anchor && options.Rtpengine.All(e => e.Weight == 0))
        {
            failures.Add($"{S}:Rtpengine:N:Weight: at least one rtpengine needs a weight above 0 when {S}:Mode is anchor.");
        }

        Positive(failures, nameof(MediaOptions.NgTimeout), options.NgTimeout);
        Positive(failures, nameof(MediaOptions.HealthInterval), options.HealthInterval);
        Positive(failures, nameof(MediaOptions.HealthTimeout), options.HealthTimeout);
        if (options.NgAttempts is < 1 or > 10)
        {
            failures.Add($"{S}:NgAttempts must be from 1 to 10 (default 3); got {options.NgAttempts}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{key} must be more than 0; got {value}.");
        }
    }
}
