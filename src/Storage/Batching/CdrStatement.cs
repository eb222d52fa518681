using CallControl.Grains;
using Npgsql;

namespace CallControl.Storage.Batching;

/// <summary>One CDR's insert for the <see cref="StatementBatcher"/>; its result is whether the row is new.</summary>
internal sealed class CdrStatement(CallDetailRecord record) : BatchedStatement<bool>
{
    public override NpgsqlBatchCommand CreateCommand()
    {
        var command = new NpgsqlBatchCommand(CdrRowCommand.Insert + " RETURNING 1");
        CdrRowCommand.Fill(command.Parameters, record);
        return command;
    }

    protected override bool ReadResult(NpgsqlDataReader reader) => reader.Read();
}
