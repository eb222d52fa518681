using Npgsql;

namespace CallControl.Storage;

/// <summary>A page of Call-IDs in key order (keyset paging: the ones after <c>@after</c>, at most <c>@limit</c>), as the failover passes read them.</summary>
public static class CallIdPage
{
    /// <summary>Runs <paramref name="command"/>, after binding <c>@after</c> and <c>@limit</c>, and returns its first column.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(NpgsqlCommand command, string? after, int limit, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("after", NpgsqlTypes.NpgsqlDbType.Text, (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var calls = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(reader.GetString(0));
        }

        return calls;
    }
}
