using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Grains.Tests;

/// <summary>The account's charge rule, without Orleans: once per call id, and replayed onto a re-read row only where it is missing.</summary>
public sealed class UnstoredChargesTests
{
    [Fact]
    public void A_call_is_charged_once_and_the_oldest_remembered_charge_is_forgotten_first()
    {
        var state = new PrepaidAccountState { BalanceSeconds = 100 };

        Assert.True(state.Charge("a", 10, remembered: 2));
        Assert.False(state.Charge("a", 10, remembered: 2));
        Assert.True(state.Charge("b", 5, remembered: 2));
        Assert.True(state.Charge("c", 1, remembered: 2));
        Assert.Equal(84, state.BalanceSeconds);
        Assert.Equal(["b", "c"], state.Charged);
    }

    [Fact]
    public void Replaying_onto_the_stored_row_takes_only_the_charges_it_lacks()
    {
        var unstored = new UnstoredCharges();
        unstored.Add("landed", 40);
        unstored.Add("lost", 10);
        var stored = new PrepaidAccountState { BalanceSeconds = 60, Charged = ["landed"] }; // "landed" was written, its answer lost

        Assert.Equal(1, unstored.ReplayOnto(stored, remembered: 256));
        Assert.Equal(50, stored.BalanceSeconds);
        Assert.Equal(["landed", "lost"], stored.Charged);
        Assert.Equal(0, unstored.ReplayOnto(stored, remembered: 256)); // replaying again changes nothing
        Assert.Equal(50, stored.BalanceSeconds);
    }

    [Fact]
    public void Cleared_charges_are_not_replayed()
    {
        var unstored = new UnstoredCharges();
        unstored.Add("stored", 40);
        unstored.Clear();
        var stored = new PrepaidAccountState { BalanceSeconds = 60 };

        Assert.Equal(0, unstored.Count);
        Assert.Equal(0, unstored.ReplayOnto(stored, remembered: 256));
        Assert.Equal(60, stored.BalanceSeconds);
    }
}
