using CallControl.Grains.Registrar;
using CallControl.Sip.Auth;
using Npgsql;

namespace CallControl.Storage;

/// <summary>The registrar's subscribers in table <c>subscriber</c>: looked up by the registrar, managed by the CLI.</summary>
public sealed class SubscriberTable(NpgsqlDataSource dataSource) : ISubscriberStore
{
    /// <inheritdoc />
    public async ValueTask<SubscriberCredentials?> FindAsync(string username, string realm, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT ha1_md5, ha1_sha256 FROM subscriber WHERE username = @username AND realm = @realm");
        command.Parameters.AddWithValue("username", username);
        command.Parameters.AddWithValue("realm", realm);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SubscriberCredentials(username, realm, reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Adds or replaces a subscriber, keeping only the HA1 hashes of the password.</summary>
    public async Task AddAsync(string username, string realm, string password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username) || username.AsSpan().ContainsAny(":@ \t") || string.IsNullOrWhiteSpace(realm) || password.Length == 0)
        {
            throw new ArgumentException("subscriber: username (no ':', '@' or spaces), realm and password are required.", nameof(username));
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO subscriber (username, realm, ha1_md5, ha1_sha256) VALUES (@username, @realm, @md5, @sha256)
            ON CONFLICT (username, realm) DO UPDATE SET ha1_md5 = EXCLUDED.ha1_md5, ha1_sha256 = EXCLUDED.ha1_sha256
            """);
        command.Parameters.AddWithValue("username", username);
        command.Parameters.AddWithValue("realm", realm.ToLowerInvariant());
        command.Parameters.AddWithValue("md5", DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, username, realm.ToLowerInvariant(), password));
        command.Parameters.AddWithValue("sha256", DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, username, realm.ToLowerInvariant(), password));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every subscriber as (username, realm).</summary>
    public async Task<IReadOnlyList<(string Username, string Realm)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT username, realm FROM subscriber ORDER BY realm, username");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var all = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add((reader.GetString(0), reader.GetString(1)));
        }

        return all;
    }

    /// <summary>Removes a subscriber; false when there was none.</summary>
    public async Task<bool> RemoveAsync(string username, string realm, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM subscriber WHERE username = @username AND realm = @realm");
        command.Parameters.AddWithValue("username", username);
        command.Parameters.AddWithValue("realm", realm.ToLowerInvariant());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
