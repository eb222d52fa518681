using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>The non-INVITE client transaction: RFC 3261 §17.1.2, Figure 6, Table 4 (timers E, F, K).</summary>
public sealed class ClientNonInviteTransactionTests
{
    private readonly TxHarness _h = new();

    private double[] ByeSends => _h.SendTimes(m => IsRequest(m, SipMethod.Bye));

    [Fact]
    public void Udp_TimerE_doubles_from_T1_caps_at_T2_and_TimerF_fails_the_transaction()
    {
        var tx = _h.Send(TestMessages.Request("BYE"));
        Assert.Equal(TransactionState.Trying, tx.State);

        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        // Intervals 0.5, 1, 2, then 4 s (T2) from there on.
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], ByeSends);
        Assert.Empty(_h.User.Failures);

        _h.AdvanceTo(SixtyFourT1);
        var failure = Assert.Single(_h.User.Failures);
        Assert.Same(tx, failure.Transaction);
        Assert.False(failure.TransportError);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);

        _h.AdvanceTo(100);
        Assert.Equal(11, ByeSends.Length);
    }

    [Fact]
    public void Udp_Proceeding_retransmits_every_T2_and_TimerF_still_applies()
    {
        var tx = _h.Send(TestMessages.Request("BYE"));
        _h.AdvanceTo(0.2);
        _h.Receive(TestMessages.Response(100, "BYE", "z9hG4bK-2", 2));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        Assert.Equal(100, Assert.Single(_h.User.Responses).Response.StatusCode);

        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        // The pending E fires at T1; in Proceeding it is reset to T2 each time (§17.1.2.2).
        Assert.Equal([0, 0.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5], ByeSends);
        Assert.Empty(_h.User.Failures);

        _h.AdvanceTo(SixtyFourT1);
        Assert.False(Assert.Single(_h.User.Failures).TransportError);
        Assert.Equal(0, _h.Layer.ClientCount);
    }

    [Fact]
    public void Udp_final_enters_Completed_absorbs_retransmissions_and_TimerK_is_T4()
    {
        var tx = _h.Send(TestMessages.Request("BYE"));
        _h.AdvanceTo(2);
        _h.Receive(TestMessages.Response(200, "BYE", "z9hG4bK-2", 2));
        Assert.Equal(TransactionState.Completed, tx.State);

        _h.AdvanceTo(3);
        _h.Receive(TestMessages.Response(200, "BYE", "z9hG4bK-2", 2));
        Assert.Equal(200, Assert.Single(_h.User.Responses).Response.StatusCode);
        Assert.Empty(_h.User.Strays);

        _h.AdvanceTo(2 + 5 - 0.001);
        Assert.Equal(TransactionState.Completed, tx.State);
        Assert.Equal(1, _h.Layer.ClientCount);
        _h.AdvanceTo(2 + 5);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);

        _h.AdvanceTo(60);
        Assert.Equal([0, 0.5, 1.5], ByeSends); // E stopped by the final
        Assert.Empty(_h.User.Failures); // F stopped too
    }

    [Fact]
    public void Tcp_sends_once_TimerF_fires_and_TimerK_is_zero()
    {
        var timedOut = _h.Send(XRequest("z9hG4bK-t1"), TcpPeer);
        var answered = _h.Send(XRequest("z9hG4bK-t2"), TcpPeer);
        _h.Receive(TestMessages.Response(200, "OPTIONS", "z9hG4bK-t2", 2), TcpPeer);
        Assert.Equal(TransactionState.Terminated, answered.State); // K = 0: gone at once

        _h.AdvanceTo(SixtyFourT1 - Epsilon);
        Assert.Equal(2, _h.Sender.Sent.Count);
        Assert.All(_h.Sender.Sent, s => Assert.Equal(TcpPeer, s.Destination));
        Assert.Empty(_h.User.Failures);

        _h.AdvanceTo(SixtyFourT1);
        Assert.Same(timedOut, Assert.Single(_h.User.Failures).Transaction);
        Assert.Equal(0, _h.Layer.ClientCount);
    }

    private static string XRequest(string branch) => TxMessages.Request("OPTIONS", "TCP", branch);
}
