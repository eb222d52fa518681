using CallControl.Grains;
using CallControl.Grains.Registrar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace CallControl.FaultProbe;

/// <summary>
/// An address of record's bindings as PostgreSQL holds them (table <c>orleans_grain_state</c>, state
/// <c>registration</c>), decoded with the storage serializer the silos write them with: what a registrar would read
/// after a restart, not what an activation holds in memory. For checks from outside the cluster (scripts/faults).
/// </summary>
public sealed class StoredRegistrations(NpgsqlDataSource dataSource, string serviceId)
{
    /// <summary>The registrar grain's state name (<c>[PersistentState("registration", ...)]</c>).</summary>
    public const string StateName = "registration";

    // A binding holds a grain reference (its edge's observer), which only an Orleans client's serializer can read: the
    // services of a client that is never started (nothing connects), with the grains' types.
    private static readonly Lazy<IGrainStorageSerializer> Serializer = new(() => new OrleansGrainStorageSerializer(
        new ServiceCollection()
            .AddOrleansClient(client => client.UseLocalhostClustering().Services.AddSerializer(
                builder => builder.AddAssembly(typeof(RegistrationState).Assembly).AddAssembly(typeof(RegistrarBinding).Assembly)))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>()));

    /// <summary>The stored bindings of <paramref name="aor"/> (a registrar grain's key, <see cref="AddressOfRecord.Key"/>); none when nothing is stored.</summary>
    public async Task<IReadOnlyList<RegistrarBinding>> ReadAsync(string aor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT payload FROM orleans_grain_state
             WHERE service_id = @service AND grain_type = @state AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_id_ext = @aor
            """);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.AddWithValue("state", StateName);
        command.Parameters.AddWithValue("aor", aor);
        var payload = await command.ExecuteScalarAsync(cancellationToken);
        return payload is byte[] bytes ? Decode(bytes) : [];
    }

    /// <summary>The bindings in a stored payload.</summary>
    public static IReadOnlyList<RegistrarBinding> Decode(byte[] payload)
        => Serializer.Value.Deserialize<RegistrationState>(new BinaryData(payload))?.Bindings ?? [];
}
