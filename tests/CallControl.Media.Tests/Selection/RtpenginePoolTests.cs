using CallControl.Media.Ng;
using CallControl.Media.Selection;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Media.Tests.Selection;

public sealed class RtpenginePoolTests
{
    private static readonly NgAddress A = new("10.0.0.1", 2223);
    private static readonly NgAddress B = new("10.0.0.2", 2223);
    private static readonly NgAddress C = new("10.0.0.3", 2223);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RtpenginePool Pool(params (NgAddress, int)[] engines) => new(engines, _time, new Random(19));

    private static Dictionary<NgAddress, int> Count(RtpenginePool pool, int draws) =>
        Enumerable.Range(0, draws).Select(_ => pool.Choose()).GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Shares_follow_the_weights_when_loads_are_unknown()
    {
        var counts = Count(Pool((A, 1), (B, 3)), 20_000);
        // Two draws, the first wins on equal (unknown) load: A's share is 1/4.
        Assert.InRange(counts[A] / 20_000.0, 0.22, 0.28);
        Assert.InRange(counts[B] / 20_000.0, 0.72, 0.78);
    }

    [Fact]
    public void A_weight_of_zero_takes_no_new_calls()
    {
        var counts = Count(Pool((A, 0), (B, 1)), 1_000);
        Assert.Equal([B], counts.Keys);
    }

    [Fact]
    public void The_less_loaded_of_two_draws_wins()
    {
        var pool = Pool((A, 1), (B, 1));
        pool.ReportAnswered(A, Load(100));
        pool.ReportAnswered(B, Load(10));
        Assert.Equal([B], Count(pool, 1_000).Keys); // with two engines both are drawn every time
    }

    [Fact]
    public void Load_counts_per_unit_of_weight()
    {
        var pool = Pool((A, 10), (B, 1));
        pool.ReportAnswered(A, Load(50)); // 5 per unit
        pool.ReportAnswered(B, Load(10)); // 10 per unit
        Assert.Equal([A], Count(pool, 1_000).Keys);
    }

    [Fact]
    public void A_down_engine_leaves_the_choice_until_it_answers_again()
    {
        var pool = Pool((A, 1), (B, 1));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RtpengineHealth.Unknown, pool.ReportUnanswered(A));
        Assert.Null(pool.ReportUnanswered(A)); // no change the second time
        Assert.Equal([B], Count(pool, 500).Keys);
        var down = pool.Snapshot()[0];
        Assert.Equal((RtpengineHealth.Down, _time.GetUtcNow()), (down.Health, down.Since));

        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(RtpengineHealth.Down, pool.ReportAnswered(A));
        Assert.Equal([A, B], Count(pool, 500).Keys.Order(Comparer<NgAddress>.Create((x, y) => string.CompareOrdinal(x.Host, y.Host))));
        Assert.Equal(_time.GetUtcNow(), pool.Snapshot()[0].Since);
    }

    [Fact]
    public void The_engine_that_just_failed_a_call_is_not_chosen_again_for_it()
    {
        var pool = Pool((A, 1), (B, 1), (C, 1));
        Assert.DoesNotContain(B, Enumerable.Range(0, 500).Select(_ => pool.Choose(except: B)));
    }

    [Fact]
    public void With_every_engine_down_there_is_no_choice()
    {
        var pool = Pool((A, 1));
        pool.ReportUnanswered(A);
        Assert.False(pool.TryChoose(out _));
        Assert.Throws<NoRtpengineException>(() => pool.Choose());
    }

    [Fact]
    public void Reports_about_an_unconfigured_address_change_nothing()
    {
        var pool = Pool((A, 1));
        Assert.Null(pool.ReportUnanswered(B));
        Assert.Equal(A, pool.Choose());
    }

    private static EngineStatistics Load(long sessions) => new(sessions, sessions, 0, new());
}
