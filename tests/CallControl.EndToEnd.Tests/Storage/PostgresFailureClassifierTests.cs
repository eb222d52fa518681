using System.Net.Sockets;
using CallControl.Grains.Persistence;
using CallControl.Storage;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>PostgreSQL's own outage errors, as the storage registers them for the grains' write-behind and the CDR outbox.</summary>
public sealed class PostgresFailureClassifierTests
{
    private static readonly IStoreFailureClassifier[] Postgres = [new PostgresFailureClassifier()];

    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: what every session gets from `pg_ctl stop -m fast`
    [InlineData("08006", true)] // connection_failure
    [InlineData("53300", true)] // too_many_connections
    [InlineData("23505", false)] // unique_violation: the statement's own fault
    public void A_server_error_is_an_outage_by_its_sqlstate_class(string sqlState, bool outage)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);
        var wrapped = new OrleansException("Error from storage provider AdoNetGrainStorage.dialogs during WriteStateAsync", error);

        Assert.Equal(outage, StoreFailures.IsTransient(wrapped, Postgres));
        Assert.False(StoreFailures.IsTransient(wrapped)); // the generic rule alone knows no SQLSTATE
    }

    [Fact]
    public void What_npgsql_calls_transient_is_an_outage_and_other_exceptions_are_not_its_business()
    {
        var classifier = new PostgresFailureClassifier();

        Assert.True(classifier.IsOutage(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(classifier.IsOutage(new NpgsqlException("bad command")));
        Assert.False(classifier.IsOutage(new SocketException((int)SocketError.ConnectionRefused))); // the generic rule's, not the store's
    }
}
