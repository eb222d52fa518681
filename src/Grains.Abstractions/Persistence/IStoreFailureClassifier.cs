namespace CallControl.Grains.Persistence;

/// <summary>
/// A store's own way of saying it is unreachable or going down (its driver's exceptions, its error codes), registered
/// by the store (src/Storage for PostgreSQL). The grains keep the generic rule (sockets, timeouts, I/O, Orleans'
/// wrapping, conflicts) and ask each registered classifier about the rest, so they need no store's driver.
/// </summary>
public interface IStoreFailureClassifier
{
    /// <summary>True when <paramref name="exception"/> itself (one link of a chain; not its inner ones) is an outage of this store.</summary>
    bool IsOutage(Exception exception);
}
