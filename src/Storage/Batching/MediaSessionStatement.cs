using Npgsql;

namespace CallControl.Storage.Batching;

/// <summary>One write of the media session index for the <see cref="StatementBatcher"/>; its result is the rows it touched.</summary>
internal sealed class MediaSessionStatement(string sql, (string Name, object Value)[] parameters) : BatchedStatement<int>
{
    public override NpgsqlBatchCommand CreateCommand()
    {
        var command = new NpgsqlBatchCommand(sql + " RETURNING 1");
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    protected override int ReadResult(NpgsqlDataReader reader)
    {
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }
}
