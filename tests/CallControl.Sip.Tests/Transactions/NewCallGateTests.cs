using System.Net;
using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// The new-call gate (<see cref="INewCallGate"/>): a refused INVITE is answered statelessly, with no 100 Trying and no
/// transaction; its retransmissions are screened again; only new INVITEs are screened, never a retransmission of one
/// that was taken, an in-dialog re-INVITE or another method.
/// </summary>
public sealed class NewCallGateTests
{
    private static readonly TimeSpan Waited = TimeSpan.FromMilliseconds(30);

    private readonly TxHarness _h = new();
    private readonly RecordingGate _gate = new();

    public NewCallGateTests() => _h.Layer.Attach(_h.User, _gate);

    [Fact]
    public void A_refused_INVITE_gets_only_the_refusal_at_the_Via_address_and_leaves_no_transaction()
    {
        _gate.Refusing = true;
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 40000));

        _h.Layer.Receive(TestMessages.Parse(TestMessages.Invite()), source, Waited);

        Assert.Equal([("call-1@test", Waited)], _gate.Screened);
        var refusal = Assert.Single(_h.Sender.Sent); // no 100 Trying before it
        Assert.Equal((503, "z9hG4bK-1"), (refusal.Message.StatusCode, refusal.Message.TopVia.Branch));
        Assert.Equal(UdpPeer, refusal.Destination); // Via sent-by port, as a transaction would have sent it (§18.2.2)
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Empty(_h.User.Requests);
        _h.AdvanceTo(SixtyFourT1 + T4);
        Assert.Single(_h.Sender.Sent); // no timer retransmits a stateless answer
    }

    [Fact]
    public void A_retransmitted_refused_INVITE_is_screened_again_and_its_ACK_reaches_the_TU_with_no_transaction()
    {
        _gate.Refusing = true;
        _h.Layer.Receive(TestMessages.Parse(TestMessages.Invite()), UdpPeer, Waited);
        _h.Layer.Receive(TestMessages.Parse(TestMessages.Invite()), UdpPeer, TimeSpan.Zero); // its refusal was lost

        Assert.Equal(2, _gate.Screened.Count);
        Assert.Equal([503, 503], _h.Sender.Sent.Select(s => s.Message.StatusCode));

        _h.Receive(TxMessages.Ack("z9hG4bK-1"));
        var ack = Assert.Single(_h.User.Acks);
        Assert.Null(ack.Answered); // the TU knows the refusal's To tag and drops it
    }

    [Fact]
    public void A_retransmission_of_an_admitted_INVITE_is_not_screened()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        _gate.Refusing = true;

        _h.Layer.Receive(TestMessages.Parse(TestMessages.Invite()), UdpPeer, Waited);

        Assert.Single(_gate.Screened);
        Assert.Equal([100, 100], _h.Sender.Sent.Select(s => s.Message.StatusCode)); // the transaction resends its 100
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Fact]
    public void In_dialog_INVITEs_and_other_methods_are_never_screened()
    {
        _gate.Refusing = true;

        _h.Layer.Receive(TestMessages.Parse(TestMessages.Request("INVITE", branch: "z9hG4bK-re", cseq: 2)), UdpPeer, Waited);
        _h.Layer.Receive(TestMessages.Parse(TestMessages.Request("OPTIONS", branch: "z9hG4bK-opt", toTag: "")), UdpPeer, Waited);

        Assert.Empty(_gate.Screened);
        Assert.Equal(["INVITE", "OPTIONS"], _h.User.Requests.Select(r => r.Request.CSeq.MethodName));
    }

    [Fact]
    public void A_new_REGISTER_is_screened_as_new_calls_are()
    {
        _gate.Refusing = true;

        _h.Layer.Receive(TestMessages.Parse(TestMessages.Request("REGISTER", branch: "z9hG4bK-reg", toTag: "")), UdpPeer, Waited);

        Assert.Single(_gate.Screened);
        Assert.Empty(_h.User.Requests); // refused statelessly: no transaction reached the transaction user
    }

    [Fact]
    public void An_admitted_INVITE_goes_on_as_if_there_were_no_gate()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());

        Assert.Equal([("call-1@test", TimeSpan.Zero)], _gate.Screened);
        Assert.Equal(100, Assert.Single(_h.Sender.Sent).Message.StatusCode);
        Assert.Equal(1, _h.Layer.ServerCount);
        Assert.IsType<ServerInviteTransaction>(tx);
    }

    private sealed class RecordingGate : INewCallGate
    {
        public bool Refusing { get; set; }

        public List<(string CallId, TimeSpan Waited)> Screened { get; } = [];

        public byte[]? Refuse(SipMessage invite, TimeSpan waited)
        {
            Screened.Add((invite.CallId, waited));
            return Refusing ? SipResponses.Simple(invite, 503, "Overloaded", toTag: "gate") : null;
        }
    }
}
