using CallControl.Edge.Registrar;
using CallControl.Sip.Transport;
using static CallControl.Edge.Tests.Registrar.NatMessages;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// The flow table on a clock the test moves: flows learned, refreshed, de-registered, expired and capped; keep-alives
/// due every interval from the wheel; N unanswered make a flow dead exactly once, an answer or a REGISTER resets the count.
/// </summary>
public sealed class NatFlowTableTests
{
    private const int Failures = 3;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(25);
    private readonly List<KeepAliveDue> _sent = [];
    private readonly List<FailedFlow> _failed = [];
    private DateTimeOffset _now = Start;

    [Fact]
    public void A_learned_flow_gets_a_keep_alive_every_interval_and_not_before()
    {
        var table = Table();
        Assert.Equal(LearnOutcome.Added, table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now));

        Assert.Empty(Run(table, TimeSpan.FromSeconds(24)));
        var first = Assert.Single(Run(table, TimeSpan.FromSeconds(1)));
        Assert.Equal((Source, "sip:alice@example.com", Contact, 1u), (first.Destination, first.Aor, first.Contact, first.CSeq));
        table.Answered(Source.Address);

        Assert.Empty(Run(table, TimeSpan.FromSeconds(24)));
        Assert.Equal(2u, Assert.Single(Run(table, TimeSpan.FromSeconds(1))).CSeq);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_stalled_loop_catches_up_with_one_keep_alive_per_flow()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now);
        table.Learn(Udp("203.0.113.8", 20002), "sip:bob@example.com", "sip:bob@10.0.0.6", Start.AddHours(1), _now.AddSeconds(3));

        Assert.Equal(2, Run(table, TimeSpan.FromSeconds(90)).Count);
    }

    [Fact]
    public void Several_aors_share_one_flow_and_it_goes_with_the_last_de_registration()
    {
        var table = Table();
        Assert.Equal(LearnOutcome.Added, table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now));
        Assert.Equal(LearnOutcome.Refreshed, table.Learn(Source, "sip:alice2@example.com", Contact, Start.AddHours(1), _now));
        Assert.Equal(1, table.Count);

        Assert.True(table.Forget(Source, "sip:alice@example.com"));
        Assert.Equal(1, table.Count);
        Assert.Single(Run(table, Interval));

        Assert.True(table.Forget(Source, "sip:alice2@example.com"));
        Assert.Equal(0, table.Count);
        Assert.Empty(Run(table, Interval * 3));
        Assert.False(table.Forget(Source, "sip:alice2@example.com"));
    }

    [Fact]
    public void A_flow_expires_with_its_last_registration_and_gets_no_more_keep_alives()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddSeconds(60), _now);

        Assert.Single(Run(table, Interval));
        table.Answered(Source.Address);
        Assert.Single(Run(table, Interval));
        table.Answered(Source.Address);
        Assert.Equal(1, table.Count);

        Assert.Empty(Run(table, Interval, out var expired)); // 75 s: past the 60 s granted
        Assert.Equal(1, expired);
        Assert.Equal(0, table.Count);
        Assert.Empty(_failed);
    }

    [Fact]
    public void A_refresh_extends_the_expiry()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddSeconds(30), _now);
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddSeconds(300), _now.AddSeconds(10));

        Assert.Single(Run(table, Interval));
        table.Answered(Source.Address);
        Assert.Single(Run(table, Interval));
    }

    [Fact]
    public void The_table_refuses_new_flows_when_full_but_refreshes_those_it_has()
    {
        var table = Table(maxFlows: 2);
        Assert.Equal(LearnOutcome.Added, table.Learn(Udp("203.0.113.1", 1), "sip:a@x", "sip:a@10.0.0.1", Start.AddHours(1), _now));
        Assert.Equal(LearnOutcome.Added, table.Learn(Udp("203.0.113.2", 2), "sip:b@x", "sip:b@10.0.0.2", Start.AddHours(1), _now));

        Assert.Equal(LearnOutcome.Full, table.Learn(Udp("203.0.113.3", 3), "sip:c@x", "sip:c@10.0.0.3", Start.AddHours(1), _now));
        Assert.Equal(LearnOutcome.Refreshed, table.Learn(Udp("203.0.113.2", 2), "sip:b@x", "sip:b@10.0.0.2", Start.AddHours(2), _now));
        Assert.Equal(2, table.Count);
        Assert.DoesNotContain(Run(table, Interval), k => k.Destination.Address.Port == 3);
    }

    [Fact]
    public void One_flow_keeps_a_bounded_set_of_aors()
    {
        var table = Table();
        for (var i = 0; i < NatFlowTable.MaxAorsPerFlow + 5; i++)
        {
            table.Learn(Source, $"sip:u{i}@example.com", Contact, Start.AddHours(1), _now);
        }

        for (var i = 0; i < Failures + 1; i++)
        {
            Run(table, Interval);
        }

        Assert.Equal(NatFlowTable.MaxAorsPerFlow, Assert.Single(_failed).Aors.Length);
    }

    [Fact]
    public void Three_unanswered_keep_alives_make_the_flow_dead_once_with_every_aor()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now);
        table.Learn(Source, "sip:alice2@example.com", Contact, Start.AddHours(1), _now);

        Assert.Single(Run(table, Interval));
        Assert.Single(Run(table, Interval));
        Assert.Single(Run(table, Interval));
        Assert.Empty(_failed);

        Assert.Empty(Run(table, Interval));
        var failed = Assert.Single(_failed);
        Assert.Equal(Source, failed.Source);
        Assert.Equal(["sip:alice2@example.com", "sip:alice@example.com"], failed.Aors.Order());
        Assert.Equal(3, failed.Unanswered);
        Assert.Equal(0, table.Count);

        Assert.Empty(Run(table, Interval * 5));
        Assert.Single(_failed);
        Assert.False(table.Answered(Source.Address)); // a late answer finds nothing to revive
    }

    [Fact]
    public void An_answer_resets_the_count_of_unanswered_keep_alives()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now);

        Run(table, Interval);
        Run(table, Interval);
        Assert.True(table.Answered(Source.Address)); // two went unanswered; this answers the second
        Run(table, Interval);
        Run(table, Interval);
        Run(table, Interval);
        Assert.Empty(_failed);

        Run(table, Interval);
        Assert.Single(_failed);
    }

    [Fact]
    public void A_register_through_the_flow_also_proves_it_alive()
    {
        var table = Table();
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now);
        Run(table, Interval);
        Run(table, Interval);
        Run(table, Interval);

        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddHours(1), _now);
        Run(table, Interval);
        Assert.Empty(_failed);
    }

    [Fact]
    public void Without_failure_detection_a_flow_lives_until_its_registration_expires()
    {
        var table = Table(failures: 0);
        table.Learn(Source, "sip:alice@example.com", Contact, Start.AddSeconds(130), _now);

        var sent = 0;
        for (var i = 0; i < 8; i++)
        {
            sent += Run(table, Interval).Count;
        }

        Assert.Equal(5, sent); // 25, 50, 75, 100, 125 s; at 150 s it has expired
        Assert.Empty(_failed);
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void The_wheel_hands_out_only_what_is_due()
    {
        var wheel = new TimingWheel<string>(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), Start);
        wheel.Add("a", Start.AddSeconds(2));
        wheel.Add("b", Start.AddSeconds(2.5));
        wheel.Add("c", Start.AddSeconds(10));
        wheel.Add("late", Start.AddSeconds(-5)); // already due: the next tick
        var due = new List<string>();

        wheel.Advance(Start.AddSeconds(1), due);
        Assert.Equal(["late"], due);
        due.Clear();
        wheel.Advance(Start.AddSeconds(2), due);
        Assert.Equal(["a"], due);
        due.Clear();
        wheel.Advance(Start.AddSeconds(3), due);
        Assert.Equal(["b"], due);
        due.Clear();
        wheel.Advance(Start.AddSeconds(9.9), due);
        Assert.Empty(due);
        wheel.Advance(Start.AddSeconds(10), due);
        Assert.Equal(["c"], due);
        Assert.Equal(0, wheel.Count);
    }

    private static NatFlowTable Table(int failures = Failures, int maxFlows = 1000) => new(Interval, failures, maxFlows, Start);

    private List<KeepAliveDue> Run(NatFlowTable table, TimeSpan by) => Run(table, by, out _);

    private List<KeepAliveDue> Run(NatFlowTable table, TimeSpan by, out int expired)
    {
        _now += by;
        _sent.Clear();
        expired = table.Advance(_now, _sent, _failed);
        return [.. _sent];
    }
}
