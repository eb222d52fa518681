using CallControl.Grains.Registrar;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using static CallControl.Grains.Tests.RegisterRequests;

namespace CallControl.Grains.Tests;

/// <summary>
/// The registrar with its store down (state and subscribers, as with PostgreSQL stopped): a REGISTER of a phone it has
/// seen still gets its 200 and its binding is used at once (memory), and the binding reaches the store once it is back
/// (the retry timer) or when the registrar deactivates (the flush).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrarOutageTests(ClusterFixture cluster)
{
    private const string Aor = "sip:alice@example.com";
    private const string Before = "sip:alice@127.0.0.1:5080;transport=tcp";
    private const string During = "sip:alice@192.0.2.8:5080;transport=tcp";

    [Fact]
    public async Task A_binding_made_while_the_store_is_down_is_answered_at_once_and_stored_when_the_store_is_back()
    {
        var (registrar, key, authorize) = await RegisteredAsync();
        var takenBefore = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.WritesFail = true;
            cluster.Subscribers.Down = true; // checked against the credentials the registrar read last
            var ok = Parse(await registrar.OnRegister(Register(Aor, 3, $"<{During}>", 600, authorize())));
            await cluster.Store.NextRefusalAsync(key);

            Assert.Equal(200, ok.StatusCode);
            Assert.Equal([Before, During], ok.Addresses(HeaderId.Contact).Select(c => c.Uri.ToString()).Order(StringComparer.Ordinal));
            Assert.Contains(During, (await registrar.GetBindings()).Select(b => b.Contact)); // calls find the phone meanwhile
            Assert.Equal([Before], await StoredContactsAsync(key)); // nothing newer could be stored
        }
        finally
        {
            cluster.Store.WritesFail = false;
            cluster.Subscribers.Down = false;
        }

        await cluster.Store.TakenAsync(key, takenBefore + 1); // the retry timer's write, the grain left alone
        Assert.Equal([Before, During], await StoredContactsAsync(key));
        Assert.Equal(takenBefore + 1, cluster.Store.TakenCount(key)); // one write, not one per retry
    }

    [Fact]
    public async Task A_registrar_deactivating_with_an_unstored_binding_writes_it_on_its_way_out()
    {
        var (registrar, key, authorize) = await RegisteredAsync();
        try
        {
            cluster.Store.WritesFail = true;
            Assert.Equal(200, Parse(await registrar.OnRegister(Register(Aor, 3, $"<{During}>", 600, authorize()))).StatusCode);
            await cluster.Store.NextRefusalAsync(key);
        }
        finally
        {
            cluster.Store.WritesFail = false;
        }

        await cluster.Cluster.DeactivateAsync(registrar); // the silo stops, say: whichever of the timer and the flush comes first writes it
        Assert.Equal([Before, During], await StoredContactsAsync(key));
        Assert.Equal(2, (await registrar.GetBindings()).Length); // a new activation reads both back
    }

    [Fact]
    public async Task Refreshes_of_an_unchanged_binding_write_nothing_and_a_new_activation_keeps_it_to_its_stored_expiry()
    {
        var (registrar, key, authorize) = await RegisteredAsync();
        var taken = cluster.Store.TakenCount(key);

        for (uint cseq = 3; cseq < 6; cseq++)
        {
            Assert.Equal(200, Parse(await registrar.OnRegister(Register(Aor, cseq, $"<{Before}>", 600, authorize()))).StatusCode);
        }

        Assert.Equal(taken, cluster.Store.TakenCount(key)); // issue 18 item 3: the access side refreshes, the core is not written
        var stored = Assert.Single((await cluster.StoredAsync<RegistrationState>("registration", GrainId.Create("cc-registrar", key))).Bindings);
        Assert.True(stored.StoredUntil >= DateTimeOffset.UtcNow.AddSeconds(600), "the stored expiry stays ahead of the phone's");

        await cluster.Cluster.DeactivateAsync(registrar); // as a silo's death would: the refreshes were never stored
        var reread = Assert.Single(await registrar.GetBindings());
        Assert.Equal(stored.StoredUntil, reread.ExpiresAt); // live to the stored expiry, never expired early
        Assert.Equal(taken, cluster.Store.TakenCount(key));
    }

    [Fact]
    public async Task A_wrong_password_is_still_refused_against_the_credentials_read_last()
    {
        var (registrar, key, _) = await RegisteredAsync();
        var offered = Parse(await registrar.OnRegister(Register(Aor, 3, $"<{During}>", 600))).GetChallenges(HeaderId.WwwAuthenticate);
        try
        {
            cluster.Subscribers.Down = true;
            var refused = Parse(await registrar.OnRegister(Register(Aor, 4, $"<{During}>", 600, Answer(offered, "not-the-password", Aor))));

            Assert.Equal(403, refused.StatusCode);
            Assert.Equal([Before], (await registrar.GetBindings()).Select(b => b.Contact));
        }
        finally
        {
            cluster.Subscribers.Down = false;
        }

        Assert.Equal([Before], await StoredContactsAsync(key));
    }

    /// <summary>A registrar of its own, with alice's first binding stored; and a way to answer its challenge again.</summary>
    private async Task<(IRegistrarGrain Registrar, string Key, Func<string> Authorize)> RegisteredAsync()
    {
        var key = $"{AddressOfRecord.Key(SipUri.Parse(Aor))}#{Guid.NewGuid():N}";
        var registrar = cluster.Grains.GetGrain<IRegistrarGrain>(key);
        var offered = Parse(await registrar.OnRegister(Register(Aor, 1, $"<{Before}>", 600))).GetChallenges(HeaderId.WwwAuthenticate);
        string Authorize() => Answer(offered, TestSubscribers.Password, Aor);

        Assert.Equal(200, Parse(await registrar.OnRegister(Register(Aor, 2, $"<{Before}>", 600, Authorize()))).StatusCode);
        Assert.Equal([Before], await StoredContactsAsync(key));
        return (registrar, key, Authorize);
    }

    private async Task<string[]> StoredContactsAsync(string key)
        => [.. (await cluster.StoredAsync<RegistrationState>("registration", GrainId.Create("cc-registrar", key))).Bindings.Select(b => b.Contact).Order(StringComparer.Ordinal)];
}
