using System.Net;
using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// The request screen (<see cref="IRequestScreen"/>, the edge's border once a request is parsed): a request it drops
/// leaves no transaction, gets no 100 Trying and reaches neither the new-call gate nor the TU; its stateless response,
/// when it gives one, goes once to the Via address; each retransmission is screened again; responses are never screened.
/// </summary>
public sealed class RequestScreenTests
{
    private readonly TxHarness _h = new();
    private readonly RecordingScreen _screen = new();
    private readonly CountingGate _gate = new();

    public RequestScreenTests() => _h.Layer.Attach(_h.User, _gate, _screen);

    [Fact]
    public void A_dropped_INVITE_leaves_no_transaction_and_no_answer()
    {
        _screen.Dropping = true;

        _h.Receive(TestMessages.Invite());

        Assert.Equal(["INVITE"], _screen.Screened.Select(s => s.Method));
        Assert.Empty(_h.Sender.Sent);       // not even a 100 Trying
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Empty(_h.User.Requests);
        Assert.Equal(0, _gate.Asked);
        _h.AdvanceTo(SixtyFourT1 + T4);
        Assert.Empty(_h.Sender.Sent);
    }

    [Fact]
    public void A_dropped_request_with_a_response_gets_that_response_once_statelessly_at_the_Via_address()
    {
        _screen.Dropping = true;
        _screen.Responding = true;
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 40000));

        _h.Layer.Receive(TestMessages.Parse(TestMessages.Invite()), source);

        var sent = Assert.Single(_h.Sender.Sent);
        Assert.Equal((407, "z9hG4bK-1", "screen"), (sent.Message.StatusCode, sent.Message.TopVia.Branch, sent.Message.To.Tag));
        Assert.Equal(UdpPeer, sent.Destination);   // Via sent-by, as a transaction would have answered (§18.2.2)
        Assert.Equal(source, _screen.Screened[0].Source);
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Empty(_h.User.Requests);
        _h.AdvanceTo(SixtyFourT1 + T4);
        Assert.Single(_h.Sender.Sent);             // nothing retransmits a stateless answer
    }

    [Fact]
    public void Each_retransmission_of_a_dropped_request_is_screened_again()
    {
        _screen.Dropping = true;
        _screen.Responding = true;

        _h.Receive(TestMessages.Invite());
        _h.Receive(TestMessages.Invite());

        Assert.Equal(2, _screen.Screened.Count);
        Assert.Equal([407, 407], _h.Sender.Sent.Select(s => s.Message.StatusCode));
        Assert.Equal(0, _h.Layer.ServerCount);
    }

    [Fact]
    public void A_request_the_screen_passes_goes_on_as_if_there_were_no_screen()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());

        Assert.Single(_screen.Screened);
        Assert.Equal(1, _gate.Asked);
        Assert.Equal(100, Assert.Single(_h.Sender.Sent).Message.StatusCode);
        Assert.Equal(1, _h.Layer.ServerCount);
        Assert.IsType<ServerInviteTransaction>(tx);
    }

    [Fact]
    public void Every_request_is_screened_in_dialog_ACKs_and_retransmissions_of_taken_ones_included()
    {
        var tx = _h.ReceiveNew(TestMessages.Invite());
        _h.Receive(TestMessages.Invite());                               // a retransmission of a taken INVITE
        _h.Receive(TestMessages.Request("BYE", branch: "z9hG4bK-bye")); // in a dialog
        _screen.Dropping = true;
        Respond(tx, 486);
        _h.Receive(TxMessages.Ack("z9hG4bK-1"));                         // its ACK: dropped, so Timer G keeps resending

        Assert.Equal(["INVITE", "INVITE", "BYE", "ACK"], _screen.Screened.Select(s => s.Method));
        Assert.Empty(_h.User.Acks);
        Assert.Equal(TransactionState.Completed, tx.State);
    }

    [Fact]
    public void Responses_are_never_screened()
    {
        _screen.Dropping = true;
        var client = _h.Send(TestMessages.Invite(branch: "z9hG4bK-out"));

        _h.Receive(TestMessages.Response(180, branch: "z9hG4bK-out"));

        Assert.Empty(_screen.Screened);
        Assert.Equal(180, Assert.Single(_h.User.Responses).Response.StatusCode);
        Assert.Same(client, _h.User.Responses[0].Transaction);
    }

    private sealed class RecordingScreen : IRequestScreen
    {
        public bool Dropping { get; set; }

        public bool Responding { get; set; }

        public List<(string Method, SipEndPoint Source)> Screened { get; } = [];

        public bool Drops(SipMessage request, SipEndPoint source, out byte[]? response)
        {
            Screened.Add((request.MethodName, source));
            response = Dropping && Responding ? SipResponses.Simple(request, 407, toTag: "screen") : null;
            return Dropping;
        }
    }

    private sealed class CountingGate : INewCallGate
    {
        public int Asked { get; private set; }

        public byte[]? Refuse(SipMessage invite, TimeSpan waited)
        {
            Asked++;
            return null;
        }
    }
}
