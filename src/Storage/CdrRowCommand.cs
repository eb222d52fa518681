using CallControl.Grains;
using CallControl.Grains.Cdr;
using Npgsql;

namespace CallControl.Storage;

/// <summary>The insert of one CDR row and its parameters, for a single command or a batch's.</summary>
internal static class CdrRowCommand
{
    /// <summary>ON CONFLICT DO NOTHING on the call id: a retried end of call writes once.</summary>
    public const string Insert = """
        INSERT INTO cdr (call_id, caller, callee_dialled, callee_routed, invite_time, answer_time, end_time,
                         billable_seconds, disposition, final_status, hung_up_by, route, edge, silo, media, transfers)
        VALUES (@call_id, @caller, @callee_dialled, @callee_routed, @invite_time, @answer_time, @end_time,
                @billable_seconds, @disposition, @final_status, @hung_up_by, @route, @edge, @silo, @media::jsonb, @transfers::jsonb)
        ON CONFLICT (call_id) DO NOTHING
        """;

    public static void Fill(NpgsqlParameterCollection p, CallDetailRecord record)
    {
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
        p.AddWithValue("media", record.Media is { } media ? CdrJson.MediaToText(media) : DBNull.Value);
        p.AddWithValue("transfers", record.Transfers is { Count: > 0 } transfers ? CdrJson.TransfersToText(transfers) : DBNull.Value);
    }
}
