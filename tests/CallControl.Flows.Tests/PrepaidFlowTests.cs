using CallControl.Flows.Testing;
using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using Orleans.TestingHost;

namespace CallControl.Flows.Tests;

/// <summary>One in-process silo with in-memory grain storage: where the prepaid accounts live.</summary>
public sealed class AccountsCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(GrainStorage.Dialogs));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

/// <summary>Prepaid calls against real account grains: refused below the minimum, limited to the balance, charged once.</summary>
public sealed class PrepaidFlowTests(AccountsCluster accounts) : IClassFixture<AccountsCluster>
{
    private const string Trunk = "sip:trunk.example";

    private static string NewAccount() => $"test-{Guid.NewGuid():N}";

    /// <summary>An account no other test uses (<paramref name="key"/>, or a new one) that holds <paramref name="seconds"/>.</summary>
    private async Task<string> AccountWithAsync(long seconds, string? key = null)
    {
        key ??= NewAccount();
        if (seconds > 0)
        {
            await Account(key).Credit(seconds);
        }

        return key;
    }

    /// <summary>A call charged to <paramref name="account"/>, with more parameters (",\"minimumSeconds\":10") if any.</summary>
    private FlowHarness CallOn(string account, string more = "") => Harness($$"""{"target":"{{Trunk}}","account":"{{account}}"{{more}}}""");

    private static string NewNumber() => $"+49{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";

    private IPrepaidAccountGrain Account(string key) => accounts.Grains.GetGrain<IPrepaidAccountGrain>(key);

    private FlowHarness Harness(string parameters, CallFacts? call = null) => new(new PrepaidFlow(), parameters, call, grains: accounts.Grains);

    [Fact]
    public async Task A_call_may_last_as_long_as_the_balance_and_is_charged_its_billable_seconds()
    {
        var account = await AccountWithAsync(120);
        var call = CallOn(account);

        var dial = Assert.IsType<Dial>(await call.StartAsync());
        Assert.Equal(Trunk, Assert.Single(dial.Targets).Uri);
        Assert.Equal(TimeSpan.FromSeconds(120), dial.MaxDuration);
        Assert.Equal(account, Assert.IsType<PrepaidState>(call.State).Account);
        await call.AnsweredAsync();
        await call.EndedAsync(TimeSpan.FromSeconds(41.2)); // 42 billable seconds

        Assert.Equal(78, await Account(account).GetBalanceSeconds());
    }

    [Fact]
    public async Task A_new_account_gets_its_opening_credit_once()
    {
        var account = NewAccount();
        var first = CallOn(account, ",\"openingSeconds\":60");
        Assert.Equal(TimeSpan.FromSeconds(60), Assert.IsType<Dial>(await first.StartAsync()).MaxDuration);
        await first.AnsweredAsync();
        await first.EndedAsync(TimeSpan.FromSeconds(10));

        var second = CallOn(account, ",\"openingSeconds\":60");
        Assert.Equal(TimeSpan.FromSeconds(50), Assert.IsType<Dial>(await second.StartAsync()).MaxDuration); // no second credit
        Assert.Equal(50, await Account(account).GetBalanceSeconds());
    }

    [Fact]
    public async Task A_call_whose_end_is_told_twice_is_charged_once()
    {
        var account = await AccountWithAsync(100);
        var call = CallOn(account);
        await call.StartAsync();
        await call.AnsweredAsync();

        await call.EndedAsync(TimeSpan.FromSeconds(30));
        await call.EndedAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(70, await Account(account).GetBalanceSeconds());
    }

    [Fact]
    public async Task The_caller_number_is_the_account_by_default()
    {
        var number = await AccountWithAsync(60, NewNumber());
        var call = Harness($$"""{"target":"{{Trunk}}"}""", FlowHarness.Facts($"sip:{number}@carrier.example"));

        Assert.Equal(TimeSpan.FromSeconds(60), Assert.IsType<Dial>(await call.StartAsync()).MaxDuration);
        await call.AnsweredAsync();
        await call.EndedAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(50, await Account(number).GetBalanceSeconds());
    }

    [Fact]
    public async Task An_asserted_identity_is_the_account_rather_than_from()
    {
        var number = await AccountWithAsync(30, NewNumber());
        var facts = FlowHarness.Facts("sip:anonymous@anonymous.invalid") with { AssertedIdentity = $"tel:{number}" };

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.IsType<Dial>(await Harness($$"""{"target":"{{Trunk}}"}""", facts).StartAsync()).MaxDuration);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(5, 10)]
    [InlineData(9, 10)]
    public async Task A_balance_below_the_minimum_is_refused_with_402(long balance, int? minimum)
    {
        var account = await AccountWithAsync(balance);
        var call = CallOn(account, minimum is null ? "" : $",\"minimumSeconds\":{minimum}");

        Assert.Equal(402, Assert.IsType<Reject>(await call.StartAsync()).Status);
        await call.EndedAsync(null, CallDisposition.Failed);
        Assert.Equal(balance, await Account(account).GetBalanceSeconds());
    }

    [Fact]
    public async Task A_balance_of_the_minimum_is_enough()
    {
        var account = await AccountWithAsync(10);

        var dial = Assert.IsType<Dial>(await CallOn(account, ",\"minimumSeconds\":10").StartAsync());
        Assert.Equal(TimeSpan.FromSeconds(10), dial.MaxDuration);
    }

    [Fact]
    public async Task An_anonymous_caller_without_an_account_is_refused_with_402()
        => Assert.Equal(402, Assert.IsType<Reject>(await Harness($$"""{"target":"{{Trunk}}"}""", FlowHarness.Facts("sip:anonymous@anonymous.invalid")).StartAsync()).Status);

    [Fact]
    public async Task An_unanswered_call_is_not_charged_and_its_failure_is_relayed()
    {
        var account = await AccountWithAsync(100);
        var call = CallOn(account);
        await call.StartAsync();

        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.Busy));
        await call.EndedAsync(null, CallDisposition.Busy);
        Assert.Equal(100, await Account(account).GetBalanceSeconds());
    }

    [Fact]
    public async Task A_huge_balance_allows_the_longest_call_there_is()
    {
        var account = await AccountWithAsync(long.MaxValue / 2);

        Assert.Equal(TimeSpan.FromDays(7), Assert.IsType<Dial>(await CallOn(account).StartAsync()).MaxDuration);
    }

    [Fact]
    public async Task The_account_charges_each_call_once_credits_add_up_and_an_overrun_goes_below_zero()
    {
        var account = Account(NewAccount());

        Assert.Equal(10, await account.Credit(10));
        Assert.Equal(25, await account.Credit(15));
        Assert.Equal(15, await account.Charge("call-1", 10));
        Assert.Equal(15, await account.Charge("call-1", 10));
        Assert.Equal(15, await account.Charge("call-2", 0));
        Assert.Equal(-2, await account.Charge("call-3", 17));
        Assert.Equal(-2, await account.GetBalanceSeconds());
    }

    [Fact]
    public async Task The_account_remembers_the_last_charged_calls_only()
    {
        var account = Account(NewAccount());
        await account.Credit(1_000);
        await account.Charge("first", 1);
        for (var i = 0; i < PrepaidAccountGrain.RememberedCharges - 1; i++)
        {
            await account.Charge($"call-{i}", 1);
        }

        Assert.Equal(1_000 - PrepaidAccountGrain.RememberedCharges, await account.Charge("first", 1)); // still remembered
        await account.Charge("one-more", 1);
        Assert.Equal(1_000 - PrepaidAccountGrain.RememberedCharges - 2, await account.Charge("first", 1)); // forgotten: charged again
    }

    [Fact]
    public async Task The_account_refuses_nonsense_amounts()
    {
        var account = Account(NewAccount());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => account.Credit(0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => account.Charge("call", -1));
        await Assert.ThrowsAsync<ArgumentException>(() => account.Charge("", 1));
        Assert.Equal(0, await account.GetBalanceSeconds());
    }

    [Theory]
    [InlineData("""{}""", "target: a SIP URI is required")]
    [InlineData("""{"target":"trunk"}""", "target: 'trunk' is not a SIP URI")]
    [InlineData("""{"target":"sip:trunk.example","account":" "}""", "account: empty (leave it out to charge the caller's number)")]
    [InlineData("""{"target":"sip:trunk.example","minimumSeconds":0}""", "minimumSeconds: 0 is out of range (1 to 2147483647)")]
    [InlineData("""{"target":"sip:trunk.example","balance":60}""", "balance: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(new FlowHarness(new PrepaidFlow(), parameters).Validate()));

    [Fact]
    public void Good_parameters_have_no_problems()
        => Assert.Empty(new FlowHarness(new PrepaidFlow(), """{"target":"sip:trunk.example","account":"company-7","minimumSeconds":30}""").Validate());
}
