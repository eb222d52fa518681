using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Grains.Persistence;

/// <summary>
/// Tells a store outage (retry later: the data stays in memory meanwhile) from a conflict or a bug (never retried
/// blindly). Orleans wraps a provider's exception in an <see cref="OrleansException"/> ("Error from storage
/// provider … during WriteStateAsync"), so the whole chain is looked at. This is the rule any store shares; what a
/// particular store's driver says (PostgreSQL's SQLSTATE classes, Npgsql's transient flag) comes from the
/// <see cref="IStoreFailureClassifier"/>s that store registered (src/Storage).
/// </summary>
public static class StoreFailures
{
    /// <summary>True when the exception, or one it wraps, is a socket, timeout or I/O failure (no store's own codes).</summary>
    public static bool IsTransient(Exception exception) => IsTransient(exception, []);

    /// <summary>The same, also asking the classifiers the services hold (the grains' and the outbox's way).</summary>
    public static bool IsTransient(Exception exception, IServiceProvider services)
        => IsTransient(exception, services.GetServices<IStoreFailureClassifier>());

    /// <summary>True when the exception, or one it wraps, says the store could not be reached or was going down.</summary>
    public static bool IsTransient(Exception exception, IEnumerable<IStoreFailureClassifier> classifiers)
    {
        ArgumentNullException.ThrowIfNull(classifiers);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Orleans.Storage.InconsistentStateException:
                    return false; // another writer moved the row on: a real conflict, not an outage
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(inner => IsTransient(inner, classifiers));
                case SocketException or TimeoutException or IOException:
                    return true;
                case var link when classifiers.Any(c => c.IsOutage(link)):
                    return true;
            }
        }

        return false;
    }
}
