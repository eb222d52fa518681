using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>The INVITE client transaction: RFC 3261 §17.1.1, Figure 5, Table 4; RFC 6026 §7.2 (Accepted, Timer M).</summary>
public sealed class ClientInviteTransactionTests
{
    private readonly TxHarness _h = new();

    private double[] InviteSends => _h.SendTimes(m => IsRequest(m, SipMethod.Invite));

    [Fact]
    public void Udp_TimerA_doubles_from_T1_without_a_T2_cap_until_TimerB_fails_the_transaction()
    {
        var tx = _h.Send(TestMessages.Invite());
        Assert.Equal(TransactionState.Calling, tx.State);

        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        // A: T1, 2T1, 4T1, 8T1, 16T1, 32T1 after each other — intervals 0.5, 1, 2, 4, 8, 16 s (never capped at T2).
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5], InviteSends);
        Assert.All(_h.Sender.Sent, s => Assert.Equal(UdpPeer, s.Destination));
        Assert.Empty(_h.User.Failures);
        Assert.Equal(1, _h.Layer.ClientCount);

        _h.AdvanceTo(SixtyFourT1);
        var failure = Assert.Single(_h.User.Failures);
        Assert.Same(tx, failure.Transaction);
        Assert.False(failure.TransportError);
        Assert.Equal(SixtyFourT1, failure.At);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);

        _h.AdvanceTo(200);
        Assert.Equal(7, _h.Sender.Sent.Count);
        Assert.Single(_h.User.Failures);
    }

    [Fact]
    public void Provisional_stops_TimerA_and_TimerB()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.AdvanceTo(0.7); // one retransmission (at 0.5 s) went out
        _h.Receive(TestMessages.Response(180));

        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(180, Assert.Single(_h.User.Responses).Response.StatusCode);

        _h.AdvanceTo(300);
        Assert.Equal([0, 0.5], InviteSends);
        Assert.Empty(_h.User.Failures);
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Fact]
    public void Success_in_Calling_stops_TimerA_and_TimerB()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.AdvanceTo(0.7);
        _h.Receive(TestMessages.Response(200));
        Assert.Equal(TransactionState.Accepted, tx.State);

        _h.AdvanceTo(100);
        Assert.Equal([0, 0.5], InviteSends);
        Assert.Empty(_h.User.Failures);
        Assert.Equal(0, _h.Layer.ClientCount); // Timer M ended it at 32.7 s
    }

    [Fact]
    public void Success_enters_Accepted_passes_every_2xx_to_the_TU_and_ends_at_TimerM()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.Receive(TestMessages.Response(180));
        _h.AdvanceTo(1);
        _h.Receive(TestMessages.Response(200));
        Assert.Equal(TransactionState.Accepted, tx.State);

        _h.AdvanceTo(2);
        _h.Receive(TestMessages.Response(200)); // retransmitted 2xx
        _h.Receive(TestMessages.Response(200, toTag: ";tag=fork2")); // another fork's 2xx
        Assert.Equal([180, 200, 200, 200], _h.User.Responses.Select(r => r.Response.StatusCode));
        Assert.Equal(";tag=fork2", ";tag=" + _h.User.Responses[^1].Response.To.Tag);
        Assert.Equal([0], InviteSends);
        Assert.DoesNotContain(_h.Sender.Sent, s => IsRequest(s.Message, SipMethod.Ack)); // the 2xx's ACK is the TU's

        _h.AdvanceTo(1 + SixtyFourT1.TotalSeconds - 0.001);
        Assert.Equal(TransactionState.Accepted, tx.State);
        Assert.Equal(1, _h.Layer.ClientCount);

        _h.AdvanceTo(1 + SixtyFourT1.TotalSeconds);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);
        Assert.Empty(_h.User.Failures);

        _h.Receive(TestMessages.Response(200));
        Assert.Single(_h.User.Strays);
    }

    [Fact]
    public void Failure_is_acknowledged_by_the_transaction_with_the_INVITEs_branch_and_the_responses_To_tag()
    {
        var tx = _h.Send(TestMessages.Invite(cseq: 7));
        _h.Receive(TestMessages.Response(486, cseq: 7, toTag: ";tag=busy9"));

        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Equal(486, Assert.Single(_h.User.Responses).Response.StatusCode);
        var sent = _h.Sender.Sent[^1];
        Assert.Equal(UdpPeer, sent.Destination);
        var ack = sent.Message;
        Assert.True(IsRequest(ack, SipMethod.Ack));
        Assert.Equal("sip:bob@127.0.0.1:5060", ack.RequestUri);
        Assert.Equal("z9hG4bK-1", ack.TopVia.Branch);
        Assert.Equal(7u, ack.CSeq.Number);
        Assert.Equal(SipMethod.Ack, ack.CSeq.Method);
        Assert.Equal("busy9", ack.To.Tag);
        Assert.Equal("a1", ack.From.Tag);
        Assert.Equal("call-1@test", ack.CallId);
    }

    [Fact]
    public void Udp_retransmitted_failure_is_acknowledged_again_but_not_passed_up_and_TimerD_ends_it()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.AdvanceTo(1);
        _h.Receive(TestMessages.Response(503));
        _h.AdvanceTo(2);
        _h.Receive(TestMessages.Response(503));
        _h.Receive(TestMessages.Response(503));

        Assert.Single(_h.User.Responses);
        Assert.Equal([1, 2, 2], _h.SendTimes(m => IsRequest(m, SipMethod.Ack)));
        Assert.Equal([0, 0.5], InviteSends); // A stopped by the final

        _h.AdvanceTo(1 + 32 - 0.001); // Timer D: 32 s over UDP
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Empty(_h.User.Failures);
        _h.AdvanceTo(1 + 32);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);
        Assert.Empty(_h.User.Failures);
        Assert.Equal([0, 0.5], InviteSends);
    }

    [Fact]
    public void Tcp_sends_once_and_TimerB_still_fires()
    {
        var tx = _h.Send(TestMessages.Invite(transport: "TCP"), TcpPeer);
        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        Assert.Equal([0], InviteSends);
        Assert.Equal(TcpPeer, Assert.Single(_h.Sender.Sent).Destination);
        Assert.Empty(_h.User.Failures);

        _h.AdvanceTo(SixtyFourT1);
        var failure = Assert.Single(_h.User.Failures);
        Assert.Same(tx, failure.Transaction);
        Assert.False(failure.TransportError);
        Assert.Equal(0, _h.Layer.ClientCount);
    }

    [Fact]
    public void Tcp_failure_is_acknowledged_and_the_transaction_ends_at_once_TimerD_zero()
    {
        var tx = _h.Send(TestMessages.Invite(transport: "TCP"), TcpPeer);
        _h.Receive(TestMessages.Response(404), TcpPeer);

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);
        Assert.Equal(404, Assert.Single(_h.User.Responses).Response.StatusCode);
        var ack = _h.Sender.Sent[^1];
        Assert.True(IsRequest(ack.Message, SipMethod.Ack));
        Assert.Equal(TcpPeer, ack.Destination);
    }
}
