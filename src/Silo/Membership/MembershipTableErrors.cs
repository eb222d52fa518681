using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace CallControl.Silo.Membership;

/// <summary>
/// Counts the membership table's failed operations (Redis unreachable, a script error after a lost table) as
/// <c>callcontrol_membership_table_errors_total</c> (label <c>operation</c>; meter <c>CallControl.Cluster</c>), which
/// alert CallControlRedisErrors watches: Orleans itself only logs them, and a cluster without its table goes on
/// running but can neither admit nor evict a silo. A decorator around whichever table the clustering provider
/// registered; every call passes through unchanged.
/// </summary>
internal sealed class MembershipTableErrors(IMembershipTable inner, IMeterFactory meterFactory) : IMembershipTable
{
    private readonly Counter<long> _errors = meterFactory.Create(MembershipWatcher.MeterName).CreateCounter<long>("callcontrol.membership.table_errors", description: "Failed membership table (Redis) operations, by operation");

    /// <summary>Wraps the <see cref="IMembershipTable"/> registered so far (the clustering provider's) in the counter.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(IMembershipTable) && !d.IsKeyedService);
        if (original is null)
        {
            return; // localhost clustering: no table
        }

        services.Remove(original);
        services.AddSingleton<IMembershipTable>(sp => new MembershipTableErrors(
            original switch
            {
                { ImplementationInstance: IMembershipTable instance } => instance,
                { ImplementationFactory: { } factory } => (IMembershipTable)factory(sp),
                _ => (IMembershipTable)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            },
            sp.GetRequiredService<IMeterFactory>()));
    }

    // Orleans 10 calls the ...Async members; the older ones (obsolete, still on the interface) lead to them.
    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
        => Count(nameof(InitializeMembershipTable), () => inner.InitializeMembershipTableAsync(tryInitTableVersion, cancellationToken));

    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
        => Count(nameof(DeleteMembershipTableEntries), () => inner.DeleteMembershipTableEntriesAsync(clusterId, cancellationToken));

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
        => Count(nameof(CleanupDefunctSiloEntries), () => inner.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken));

    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
        => Count(nameof(ReadRow), () => inner.ReadRowAsync(key, cancellationToken));

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
        => Count(nameof(ReadAll), () => inner.ReadAllAsync(cancellationToken));

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
        => Count(nameof(InsertRow), () => inner.InsertRowAsync(entry, tableVersion, cancellationToken));

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
        => Count(nameof(UpdateRow), () => inner.UpdateRowAsync(entry, etag, tableVersion, cancellationToken));

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
        => Count(nameof(UpdateIAmAlive), () => inner.UpdateIAmAliveAsync(entry, cancellationToken));

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    private async Task Count(string operation, Func<Task> call)
        => await Count(operation, async () => { await call(); return true; });

    private async Task<T> Count<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch
        {
            _errors.Add(1, new KeyValuePair<string, object?>("operation", operation));
            throw; // Orleans retries and logs; we only count
        }
    }
}
