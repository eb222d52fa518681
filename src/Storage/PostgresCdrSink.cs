using CallControl.Grains;
using CallControl.Grains.Cdr;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// The cluster's CDR store: one row per call in table <c>cdr</c>, inserted with ON CONFLICT DO NOTHING on the
/// call id, so a retried end of call (a silo that died mid-write, a BYE through a second edge) writes once.
/// </summary>
public sealed class PostgresCdrSink(NpgsqlDataSource dataSource) : ICdrSink
{
    private const string Insert = """
        INSERT INTO cdr (call_id, caller, callee_dialled, callee_routed, invite_time, answer_time, end_time,
                         billable_seconds, disposition, final_status, hung_up_by, route, edge, silo)
        VALUES (@call_id, @caller, @callee_dialled, @callee_routed, @invite_time, @answer_time, @end_time,
                @billable_seconds, @disposition, @final_status, @hung_up_by, @route, @edge, @silo)
        ON CONFLICT (call_id) DO NOTHING
        """;

    /// <inheritdoc />
    public async Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Insert);
        var p = command.Parameters;
        p.AddWithValue("call_id", record.CallId);
        p.AddWithValue("caller", record.Caller);
        p.AddWithValue("callee_dialled", record.CalleeDialled);
        p.AddWithValue("callee_routed", (object?)record.CalleeRouted ?? DBNull.Value);
        p.AddWithValue("invite_time", record.InviteTime.ToUniversalTime());
        p.AddWithValue("answer_time", (object?)record.AnswerTime?.ToUniversalTime() ?? DBNull.Value);
        p.AddWithValue("end_time", record.EndTime.ToUniversalTime());
        p.AddWithValue("billable_seconds", record.BillableSeconds);
        p.AddWithValue("disposition", CdrNames.Of(record.Disposition));
        p.AddWithValue("final_status", record.FinalStatus);
        p.AddWithValue("hung_up_by", CdrNames.Of(record.HungUpBy));
        p.AddWithValue("route", (object?)record.Route ?? DBNull.Value);
        p.AddWithValue("edge", record.Edge);
        p.AddWithValue("silo", record.Silo);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
