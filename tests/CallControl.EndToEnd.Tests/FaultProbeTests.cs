using System.Net;
using CallControl.FaultProbe;
using CallControl.Storage;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The fault suite's probe against the real cluster: its phone registers with digest (refused with a wrong password),
/// and the binding it made is read back from PostgreSQL as the silos stored it (the pg-down row's check).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FaultProbeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_probe_registers_with_digest_and_reads_its_binding_back_from_postgresql()
    {
        var user = $"probe{Guid.NewGuid():N}"[..16];
        var aor = $"sip:{user}@127.0.0.1";
        var contact = $"sip:{user}@127.0.0.1:40100";
        var added = await fixture.Cluster.CliAsync("subscriber", "add", "--username", user, "--realm", "127.0.0.1", "--password", "probe-secret");
        Assert.True(added.Exit == 0, added.Output);
        var registrar = new IPEndPoint(IPAddress.Loopback, fixture.Cluster.SipPort);

        Assert.Equal(403, await new PhoneRegistration(registrar, aor, "not-it").RegisterAsync(contact, TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Equal(200, await new PhoneRegistration(registrar, aor, "probe-secret").RegisterAsync(contact, TimeSpan.FromMinutes(10), CancellationToken.None));

        await using var dataSource = PostgresDataSource.Create(fixture.Cluster.ConnectionString);
        var registrations = new StoredRegistrations(dataSource, "callcontrol");
        var stored = await registrations.ReadAsync(aor, CancellationToken.None); // written before the 200 went out
        var now = DateTimeOffset.UtcNow;
        Assert.True(BindingCheck.Holds(stored, contact, now), $"stored: {string.Join(", ", stored.Select(b => b.Contact))}");
        Assert.False(BindingCheck.Holds(stored, $"sip:{user}@127.0.0.1:40101", now));
        Assert.False(BindingCheck.Holds(stored, contact, now + TimeSpan.FromMinutes(11))); // expired by then
        Assert.Empty(await registrations.ReadAsync($"sip:nobody-{user}@127.0.0.1", CancellationToken.None));
    }
}
