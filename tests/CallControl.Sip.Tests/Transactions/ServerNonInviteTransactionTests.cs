using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>The non-INVITE server transaction: RFC 3261 §17.2.2, Figure 8, Table 4 (Timer J).</summary>
public sealed class ServerNonInviteTransactionTests
{
    private readonly TxHarness _h = new();

    [Fact]
    public void Retransmission_in_Trying_is_absorbed()
    {
        var tx = _h.ReceiveNew(TestMessages.Request("BYE"));
        Assert.IsType<ServerNonInviteTransaction>(tx);
        Assert.Equal(TransactionState.Trying, tx.State);

        _h.Receive(TestMessages.Request("BYE"));
        Assert.Empty(_h.Sender.Sent);
        Assert.Single(_h.User.Requests);
        Assert.Equal(1, _h.Layer.ServerCount);
    }

    [Fact]
    public void Retransmission_in_Proceeding_resends_the_provisional()
    {
        var tx = _h.ReceiveNew(TestMessages.Request("INFO"));
        Assert.True(Respond(tx, 100));
        Assert.Equal(TransactionState.Proceeding, tx.State);

        _h.Receive(TestMessages.Request("INFO"));
        Assert.Equal([100, 100], _h.Sender.Sent.Select(s => s.Message.StatusCode));
        Assert.All(_h.Sender.Sent, s => Assert.Equal(UdpPeer, s.Destination));
        Assert.Single(_h.User.Requests);
    }

    [Fact]
    public void Udp_final_enters_Completed_resends_on_retransmission_and_TimerJ_is_64T1()
    {
        var tx = _h.ReceiveNew(TestMessages.Request("BYE"));
        _h.AdvanceTo(1);
        Assert.True(Respond(tx, 100));
        Assert.True(Respond(tx, 200));
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.False(Respond(tx, 500)); // one final only

        _h.AdvanceTo(10);
        _h.Receive(TestMessages.Request("BYE"));
        Assert.Equal([100, 200, 200], _h.Sender.Sent.Select(s => s.Message.StatusCode));
        Assert.Equal(10, _h.Sender.Sent[^1].At.TotalSeconds);
        Assert.Single(_h.User.Requests);

        _h.AdvanceTo(1 + 32 - 0.001);
        Assert.Equal(TransactionState.Completed, tx.State);
        _h.AdvanceTo(1 + 32);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Equal(3, _h.Sender.Sent.Count); // no retransmission of its own over UDP either
    }

    [Fact]
    public void Tcp_final_ends_the_transaction_at_once_TimerJ_zero()
    {
        var tx = _h.ReceiveNew(TxMessages.Request("BYE", "TCP"), TcpPeer);
        Assert.True(Respond(tx, 200));

        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Equal(TcpPeer, Assert.Single(_h.Sender.Sent).Destination);
    }
}
