using System.Globalization;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using Npgsql;

namespace CallControl.Storage;

/// <summary>Maps a cdr row (in <see cref="CdrLog"/>'s column order) to a record.</summary>
internal static class CdrRows
{
    public static CdrEntry Read(NpgsqlDataReader row)
    {
        var position = new CdrPosition(ulong.Parse(row.GetString(0), CultureInfo.InvariantCulture), row.GetInt64(1));
        var record = new CallDetailRecord
        {
            CallId = row.GetString(2),
            Caller = row.GetString(3),
            CalleeDialled = row.GetString(4),
            CalleeRouted = row.IsDBNull(5) ? null : row.GetString(5),
            InviteTime = row.GetFieldValue<DateTimeOffset>(6),
            AnswerTime = row.IsDBNull(7) ? null : row.GetFieldValue<DateTimeOffset>(7),
            EndTime = row.GetFieldValue<DateTimeOffset>(8),
            BillableSeconds = row.GetInt64(9),
            Disposition = Enum.GetValues<CallDisposition>().First(d => CdrNames.Of(d) == row.GetString(10)),
            FinalStatus = row.GetInt32(11),
            HungUpBy = Enum.GetValues<HangupParty>().First(h => CdrNames.Of(h) == row.GetString(12)),
            Route = row.IsDBNull(13) ? null : row.GetString(13),
            Edge = row.GetString(14),
            Silo = row.GetString(15),
            Media = row.IsDBNull(16) ? null : CdrJson.MediaFromText(row.GetString(16)),
            Transfers = row.IsDBNull(17) ? null : CdrJson.TransfersFromText(row.GetString(17)),
        };
        return new CdrEntry(position, record);
    }
}
