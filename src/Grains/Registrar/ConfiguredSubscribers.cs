using CallControl.Sip.Auth;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Registrar;

/// <summary>
/// The subscriber store of a node without PostgreSQL: the subscribers configured under <c>CallControl:Subscribers</c>
/// (<see cref="SubscriberEntry"/>), their HA1s made once at start; passwords are not kept.
/// </summary>
public sealed class ConfiguredSubscribers : ISubscriberStore
{
    private readonly Dictionary<(string Username, string Realm), SubscriberCredentials> _subscribers = [];

    /// <summary>Reads the validated list.</summary>
    public ConfiguredSubscribers(IOptions<List<SubscriberEntry>> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var entry in options.Value)
        {
            var username = entry.Username!;
            var realm = entry.Realm!.ToLowerInvariant();
            var md5 = entry.Password is { Length: > 0 } password ? DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, username, realm, password) : entry.Ha1!.ToLowerInvariant();
            var sha256 = entry.Password is { Length: > 0 } again ? DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, username, realm, again) : entry.Ha1Sha256?.ToLowerInvariant() ?? "";
            _subscribers[(username, realm)] = new SubscriberCredentials(username, realm, md5, sha256);
        }
    }

    /// <summary>How many subscribers are configured.</summary>
    public int Count => _subscribers.Count;

    /// <inheritdoc />
    public ValueTask<SubscriberCredentials?> FindAsync(string username, string realm, CancellationToken cancellationToken)
        => ValueTask.FromResult(_subscribers.GetValueOrDefault((username, realm.ToLowerInvariant())));
}
