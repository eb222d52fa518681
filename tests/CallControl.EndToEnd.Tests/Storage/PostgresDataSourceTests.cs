using CallControl.Storage;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// The connection settings a silo adds to the operator's string: bounded pools (the silo's and the reminder table's
/// together well under PostgreSQL's default 100 connections), and what the operator sets is kept.
/// </summary>
public sealed class PostgresDataSourceTests
{
    private const string Given = "Host=127.0.0.1;Port=5432;Username=cc;Database=cc";

    [Fact]
    public void The_reminder_table_gets_a_pool_of_ten_and_the_silo_a_pool_of_thirty()
    {
        var reminders = new NpgsqlConnectionStringBuilder(PostgresDataSource.ForReminders(Given));
        using var silo = PostgresDataSource.Create(Given);

        Assert.Equal(10, reminders.MaxPoolSize);
        Assert.Equal(30, new NpgsqlConnectionStringBuilder(silo.ConnectionString).MaxPoolSize);
        Assert.True(reminders.NoResetOnClose);
        Assert.Equal((20, 2), (reminders.MaxAutoPrepare, reminders.AutoPrepareMinUsages));
        Assert.Equal(("127.0.0.1", 5432, "cc"), (reminders.Host, reminders.Port, reminders.Database));
    }

    [Theory]
    [InlineData(";Maximum Pool Size=3;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData(";maximum pool size=3;NoResetOnClose=false;MaxAutoPrepare=0")] // in lower case, and by property name
    public void What_the_operator_set_is_kept(string settings)
    {
        var reminders = new NpgsqlConnectionStringBuilder(PostgresDataSource.ForReminders(Given + settings));
        Assert.Equal((3, false, 0), (reminders.MaxPoolSize, reminders.NoResetOnClose, reminders.MaxAutoPrepare));
    }
}
