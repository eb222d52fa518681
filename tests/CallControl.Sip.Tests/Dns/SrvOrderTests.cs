using CallControl.Sip.Dns;

namespace CallControl.Sip.Tests.Dns;

/// <summary>RFC 2782's order of SRV targets: by priority, weighted within one, every target once, "." as no service.</summary>
public sealed class SrvOrderTests
{
    private static readonly SrvTarget A = new(10, 60, 5060, "a.example");
    private static readonly SrvTarget B = new(10, 20, 5060, "b.example");
    private static readonly SrvTarget C = new(10, 20, 5060, "c.example");
    private static readonly SrvTarget Backup = new(20, 0, 5060, "backup.example");

    [Fact]
    public void Every_target_is_tried_once_and_a_lower_priority_only_after_every_target_of_a_higher_one()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var order = SrvOrder.Arrange([Backup, C, A, B], new Random(seed));

            Assert.Equal(4, order.Count);
            Assert.Equal(Backup, order[^1]);
            Assert.Equal(["a.example", "b.example", "c.example"], order.Take(3).Select(t => t.Host).Order());
        }
    }

    [Fact]
    public void Within_a_priority_each_target_comes_first_in_proportion_to_its_weight()
    {
        var random = new Random(7);
        var first = new Dictionary<string, int> { ["a.example"] = 0, ["b.example"] = 0, ["c.example"] = 0 };
        for (var i = 0; i < 10_000; i++)
        {
            first[SrvOrder.Arrange([A, B, C], random)[0].Host]++;
        }

        Assert.InRange(first["a.example"], 5_700, 6_300); // 60 of 100
        Assert.InRange(first["b.example"], 1_800, 2_200);
        Assert.InRange(first["c.example"], 1_800, 2_200);
    }

    [Fact]
    public void A_weight_of_zero_comes_first_only_when_the_draw_falls_on_zero()
    {
        var zero = new SrvTarget(10, 0, 5060, "zero.example");
        var heavy = new SrvTarget(10, 1000, 5060, "heavy.example");
        var random = new Random(3);

        var firsts = Enumerable.Range(0, 2_000).Count(_ => SrvOrder.Arrange([heavy, zero], random)[0] == zero);

        Assert.InRange(firsts, 0, 20); // one chance in 1001
        Assert.Equal([zero], SrvOrder.Arrange([zero]));
    }

    [Fact]
    public void A_lone_dot_target_means_the_service_is_not_offered()
        => Assert.Empty(SrvOrder.Arrange([new SrvTarget(0, 0, 0, ".")]));
}
