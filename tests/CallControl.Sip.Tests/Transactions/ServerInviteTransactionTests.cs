using System.Net;
using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// The INVITE server transaction: RFC 3261 §17.2.1, Figure 7, Table 4 (timers G, H, I); RFC 6026 §7.1
/// (Accepted, Timer L); and the 2xx retransmission until the ACK of RFC 3261 §13.3.1.4.
/// </summary>
public sealed class ServerInviteTransactionTests
{
    private readonly TxHarness _h = new();

    [Fact]
    public void Trying_is_sent_at_once_to_the_Via_address()
    {
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 40000));
        var tx = _h.ReceiveNew(TestMessages.Invite(), source);

        Assert.IsType<ServerInviteTransaction>(tx);
        Assert.Equal(TransactionState.Proceeding, tx.State);
        var trying = Assert.Single(_h.Sender.Sent);
        Assert.Equal(0, trying.At.TotalSeconds);
        Assert.Equal(100, trying.Message.StatusCode);
        Assert.Equal("z9hG4bK-1", trying.Message.TopVia.Branch);
        Assert.Equal(UdpPeer, trying.Destination); // Via sent-by port 5070, no rport (§18.2.2)
    }

    [Fact]
    public void Trying_goes_to_the_source_port_when_rport_is_asked_for()
    {
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 40000));
        _h.ReceiveNew(TxMessages.LegacyInvite(";branch=z9hG4bK-r;rport"), source);
        Assert.Equal(source, Assert.Single(_h.Sender.Sent).Destination); // RFC 3581 §4
    }

    [Fact]
    public void Trying_is_left_to_the_TU_when_SendTryingImmediately_is_off()
    {
        var h = new TxHarness(new SipTimerOptions { SendTryingImmediately = false });
        var tx = h.ReceiveNew(TestMessages.Invite());
        h.Receive(TestMessages.Invite()); // nothing to resend yet
        Assert.Empty(h.Sender.Sent);
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Fact]
    public void Retransmitted_INVITE_in_Proceeding_resends_the_last_provisional_and_is_not_passed_up()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        _h.Receive(TestMessages.Invite());
        Assert.Equal([100, 100], _h.Sender.Sent.Select(s => s.Message.StatusCode));

        Assert.True(Respond(tx, 180));
        _h.Receive(TestMessages.Invite());
        Assert.Equal([100, 100, 180, 180], _h.Sender.Sent.Select(s => s.Message.StatusCode));
        Assert.Single(_h.User.Requests);
    }

    [Fact]
    public void Udp_failure_is_retransmitted_by_TimerG_capped_at_T2_resent_on_INVITE_and_TimerH_ends_it()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        _h.AdvanceTo(1);
        Assert.True(Respond(tx, 486));
        Assert.Equal(TransactionState.Completed, tx.State);

        _h.AdvanceTo(2);
        _h.Receive(TestMessages.Invite()); // resent at once
        _h.AdvanceTo(1 + 32 - 0.001);
        // From 1 s: T1, 2T1, 4T1, then T2 — and the INVITE retransmission's copy at 2 s.
        Assert.Equal([1, 1.5, 2, 2.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5, 32.5], _h.SendTimes(m => IsStatus(m, 486)));
        Assert.Equal(TransactionState.Completed, tx.State);

        _h.AdvanceTo(1 + 32); // H = 64×T1
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
        _h.AdvanceTo(100);
        Assert.Equal(12, _h.SendTimes(m => IsStatus(m, 486)).Length);
        Assert.Empty(_h.User.Acks);
    }

    [Fact]
    public void Udp_ACK_for_a_failure_confirms_stops_TimerG_is_absorbed_and_TimerI_is_T4()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        Assert.True(Respond(tx, 603));
        _h.AdvanceTo(0.7); // one retransmission at 0.5 s
        _h.Receive(TxMessages.Ack("z9hG4bK-1"));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.True(((ServerInviteTransaction)tx).AckReceived);

        _h.AdvanceTo(1);
        _h.Receive(TxMessages.Ack("z9hG4bK-1")); // a retransmitted ACK is absorbed too
        _h.Receive(TestMessages.Invite()); // and so is the INVITE
        Assert.Empty(_h.User.Acks);
        Assert.Single(_h.User.Requests);

        _h.AdvanceTo(0.7 + 5 - 0.001);
        Assert.Equal(TransactionState.Confirmed, tx.State);
        _h.AdvanceTo(0.7 + 5);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
        _h.AdvanceTo(60);
        Assert.Equal([0, 0.5], _h.SendTimes(m => IsStatus(m, 603)));
    }

    [Fact]
    public void Udp_2xx_is_retransmitted_until_its_ACK_which_matches_by_CallId_and_CSeq_and_goes_to_the_TU()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        _h.AdvanceTo(1);
        Assert.True(Respond(tx, 200));
        Assert.Equal(TransactionState.Accepted, tx.State);

        _h.AdvanceTo(12);
        Assert.Equal([1, 1.5, 2.5, 4.5, 8.5], _h.SendTimes(m => IsStatus(m, 200)));

        // The ACK for a 2xx is its own transaction: a new branch, the Contact as Request-URI.
        _h.Receive(TxMessages.Ack("z9hG4bK-ack2xx", "sip:alice-contact@127.0.0.1:5070"));
        var ack = Assert.Single(_h.User.Acks);
        Assert.Equal("z9hG4bK-ack2xx", ack.Ack.TopVia.Branch);
        Assert.Same(tx, ack.Answered); // the TU learns which 2xx it acknowledges
        Assert.True(((ServerInviteTransaction)tx).AckReceived);

        _h.AdvanceTo(1 + 32 - 0.001);
        Assert.Equal(5, _h.SendTimes(m => IsStatus(m, 200)).Length);
        Assert.Equal(TransactionState.Accepted, tx.State); // L keeps absorbing INVITE retransmissions
        _h.AdvanceTo(1 + 32);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Empty(_h.User.AckTimeouts);
        Assert.Equal(0, _h.Layer.ServerCount);
    }

    [Fact]
    public void An_ACK_no_transaction_here_answered_goes_to_the_TU_without_one()
    {
        // Its 2xx was sent by another edge, or its transaction has ended: the TU must hand it on as it is.
        _h.Receive(TxMessages.Ack("z9hG4bK-ack-elsewhere", "sip:alice-contact@127.0.0.1:5070", callId: "call-elsewhere@test"));
        var ack = Assert.Single(_h.User.Acks);
        Assert.Null(ack.Answered);
    }

    [Fact]
    public void Udp_2xx_without_ACK_is_retransmitted_capped_at_T2_and_TimerL_reports_the_ACK_timeout()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        Assert.True(Respond(tx, 200));
        _h.AdvanceTo(3);
        _h.Receive(TestMessages.Invite()); // absorbed in Accepted (RFC 6026 §7.1)
        Assert.Single(_h.User.Requests);

        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], _h.SendTimes(m => IsStatus(m, 200)));
        Assert.Empty(_h.User.AckTimeouts);

        _h.AdvanceTo(SixtyFourT1);
        var timeout = Assert.Single(_h.User.AckTimeouts);
        Assert.Same(tx, timeout.Transaction);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
    }

    [Fact]
    public void Tcp_failure_has_no_TimerG_TimerH_still_ends_it()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite(transport: "TCP"), TcpPeer);
        Assert.True(Respond(tx, 486));
        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        Assert.Equal([0], _h.SendTimes(m => IsStatus(m, 486)));
        Assert.All(_h.Sender.Sent, s => Assert.Equal(TcpPeer, s.Destination));
        Assert.Equal(TransactionState.Completed, tx.State);

        _h.AdvanceTo(SixtyFourT1);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
    }

    [Fact]
    public void Tcp_ACK_for_a_failure_ends_it_at_once_TimerI_zero()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite(transport: "TCP"), TcpPeer);
        Assert.True(Respond(tx, 486));
        _h.Receive(TxMessages.Ack("z9hG4bK-1", transport: "TCP"), TcpPeer);

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Empty(_h.User.Acks);
    }
}
