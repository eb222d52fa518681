using CallControl.Storage.Batching;
using Npgsql;

namespace CallControl.Storage.GrainState;

/// <summary>
/// One write or delete of a grain's row, with the ADO.NET provider's parameters; its result is the new version
/// (the ETag), or null when the row's version was not the one expected (another activation wrote it).
/// </summary>
internal sealed class GrainStateStatement(string sql, GrainStateParameters parameters, byte[]? payload) : BatchedStatement<int?>
{
    public override NpgsqlBatchCommand CreateCommand()
    {
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        p.AddWithValue("ServiceId", parameters.ServiceId);
        p.AddWithValue("GrainTypeString", parameters.GrainType);
        p.AddWithValue("GrainIdN0", parameters.Key.N0);
        p.AddWithValue("GrainIdN1", parameters.Key.N1);
        p.AddWithValue("GrainIdExtensionString", (object?)parameters.Key.Extension ?? DBNull.Value);
        p.AddWithValue("GrainIdHash", parameters.GrainIdHash);
        p.AddWithValue("GrainTypeHash", parameters.GrainTypeHash);
        p.AddWithValue("GrainStateVersion", NpgsqlTypes.NpgsqlDbType.Integer, (object?)parameters.Version ?? DBNull.Value);
        if (payload is not null)
        {
            p.AddWithValue("PayloadBinary", payload);
        }

        return command;
    }

    protected override int? ReadResult(NpgsqlDataReader reader)
        => reader.Read() && !reader.IsDBNull(0) ? reader.GetInt32(0) : null;
}

/// <summary>What identifies a grain's row and the version a write expects.</summary>
internal sealed record GrainStateParameters(string ServiceId, string GrainType, AdoNetRowKey Key, int GrainIdHash, int GrainTypeHash, int? Version);
