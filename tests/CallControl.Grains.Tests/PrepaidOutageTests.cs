using CallControl.Grains.Dialogs;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Tests;

/// <summary>
/// Prepaid charges with the store down: a charge is taken (the call ends), stored once the store is back, and never
/// twice: not when told again, not when a write landed though its answer was lost, not when the account could not
/// even activate and the silo kept the charge to retry it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PrepaidOutageTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_charge_taken_while_the_store_is_down_is_stored_once_when_it_is_back()
    {
        var (account, key) = await AccountAsync(100);
        var taken = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.WritesFail = true;
            Assert.Equal(70, await account.Charge("call-1", 30)); // the call's end is not held up by the store
            Assert.Equal(70, await account.Charge("call-1", 30)); // told again (a failover): nothing more taken
            Assert.Equal(100, (await StoredAsync(key)).BalanceSeconds);
        }
        finally
        {
            cluster.Store.WritesFail = false;
        }

        await cluster.Store.TakenAsync(key, taken + 1);
        var stored = await StoredAsync(key);
        Assert.Equal(70, stored.BalanceSeconds);
        Assert.Equal(["call-1"], stored.Charged);
        await cluster.Cluster.DeactivateAsync(account);
        Assert.Equal(70, await account.GetBalanceSeconds()); // read back from the store
    }

    [Fact]
    public async Task A_prepaid_call_hung_up_during_the_outage_ends_cleanly_and_is_charged_once_the_store_is_back()
    {
        var number = $"+4930{Random.Shared.NextInt64(10_000_000, 99_999_999)}";
        var (account, key) = await AccountAsync(100, number);
        var call = new CallScript(cluster.Grains, $"prepaid-outage-{Guid.NewGuid():N}@127.0.0.1", dialled: "6000",
            extraInviteHeaders: $"P-Asserted-Identity: <sip:{number}@127.0.0.1>"); // the caller's number: the account charged
        var ok = await call.AnswerAsync();
        var taken = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.WritesFail = true;
            cluster.Cdrs.Down = true;
            var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);

            Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode); // the charge did not hold the call's end up
            Assert.Equal(SipMethod.Bye, CallScript.Parse(bye[1]).Method);
            Assert.True(await account.GetBalanceSeconds() < 100); // taken in memory
            Assert.Equal(100, (await StoredAsync(key)).BalanceSeconds);
        }
        finally
        {
            cluster.Store.WritesFail = false;
            cluster.Cdrs.Down = false;
        }

        await cluster.Store.TakenAsync(key, taken + 1);
        var stored = await StoredAsync(key);
        Assert.Equal([call.CallId], stored.Charged);
        Assert.InRange(stored.BalanceSeconds, 97, 99); // the call lasted 1 to 3 billable seconds (the test cluster's maximum is 3 s)
    }

    [Fact]
    public async Task A_charge_whose_write_landed_though_its_answer_was_lost_is_not_taken_twice()
    {
        var (account, key) = await AccountAsync(100);
        var taken = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.WritesLandUnanswered = true;
            Assert.Equal(60, await account.Charge("call-2", 40)); // stored, but the grain heard a failure
            await cluster.Store.TakenAsync(key, taken + 1);
            cluster.Store.WritesLandUnanswered = false;
            cluster.Store.WritesFail = true;
            Assert.Equal(50, await account.Charge("call-3", 10)); // another charge meanwhile, not stored at all
        }
        finally
        {
            cluster.Store.WritesLandUnanswered = false;
            cluster.Store.WritesFail = false;
        }

        // The retry finds the row moved on, re-reads it (call-2 taken already) and takes only call-3 on it.
        await cluster.Store.TakenAsync(key, taken + 2);
        var stored = await StoredAsync(key);
        Assert.Equal(50, stored.BalanceSeconds); // 100 - 40 - 10, not 100 - 40 - 40 - 10
        Assert.Equal(["call-2", "call-3"], stored.Charged);
        Assert.Equal(50, await account.GetBalanceSeconds());
    }

    [Fact]
    public async Task A_charge_the_account_cannot_take_is_kept_by_the_silo_and_taken_once_when_the_store_is_back()
    {
        var (account, key) = await AccountAsync(100);
        await cluster.Cluster.DeactivateAsync(account); // its next call must read its state, which the outage refuses
        var taken = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.ReadsFail = true;
            cluster.Store.WritesFail = true;
            await cluster.PrepaidCharges.ChargeAsync(cluster.Grains, new PrepaidCharge(account.GetPrimaryKeyString(), "call-4", 25), CancellationToken.None);
            Assert.True(cluster.PrepaidCharges.Pending >= 1);
        }
        finally
        {
            cluster.Store.ReadsFail = false;
            cluster.Store.WritesFail = false;
        }

        await cluster.Store.TakenAsync(key, taken + 1);
        Assert.Equal(75, (await StoredAsync(key)).BalanceSeconds);
        await cluster.PrepaidCharges.ChargeAsync(cluster.Grains, new PrepaidCharge(account.GetPrimaryKeyString(), "call-4", 25), CancellationToken.None);
        Assert.Equal(75, await account.GetBalanceSeconds());
    }

    [Fact]
    public async Task A_credit_is_confirmed_only_once_stored_and_refused_untaken_while_the_store_is_down()
    {
        var (account, key) = await AccountAsync(100);
        var taken = cluster.Store.TakenCount(key);
        try
        {
            cluster.Store.WritesFail = true;
            await Assert.ThrowsAsync<InvalidOperationException>(() => account.Credit(50));
            Assert.Equal(100, await account.GetBalanceSeconds()); // not taken: the operator tries again, no double credit
        }
        finally
        {
            cluster.Store.WritesFail = false;
        }

        await cluster.Store.TakenAsync(key, taken + 1); // the retry timer stored the balance without the refused credit
        Assert.Equal(100, (await StoredAsync(key)).BalanceSeconds);
        Assert.Equal(150, await account.Credit(50));
        Assert.Equal(150, (await StoredAsync(key)).BalanceSeconds);
    }

    /// <summary>An account of its own with <paramref name="seconds"/>, stored.</summary>
    private async Task<(IPrepaidAccountGrain Account, string Key)> AccountAsync(long seconds, string? key = null)
    {
        key ??= $"outage-{Guid.NewGuid():N}";
        var account = cluster.Grains.GetGrain<IPrepaidAccountGrain>(key);
        Assert.Equal(seconds, await account.Credit(seconds));
        return (account, key);
    }

    private Task<PrepaidAccountState> StoredAsync(string key) => cluster.StoredAsync<PrepaidAccountState>("account", GrainId.Create("cc-prepaid-account", key));
}
