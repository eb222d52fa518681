namespace CallControl.Grains.Registrar;

/// <summary>A subscriber's stored credentials: the digest HA1 for each algorithm, never the password.</summary>
public sealed record SubscriberCredentials(string Username, string Realm, string Ha1Md5, string Ha1Sha256);

/// <summary>Where subscribers are kept (table <c>subscriber</c> in a cluster; <c>CallControl:Subscribers</c> on the embedded default).</summary>
public interface ISubscriberStore
{
    /// <summary>The subscriber, or null when there is none of that name in the realm.</summary>
    ValueTask<SubscriberCredentials?> FindAsync(string username, string realm, CancellationToken cancellationToken);
}
