using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// Matching messages to transactions (RFC 3261 §17.1.3, §17.2.3, §9.2), transport errors (§17.1.4) and the
/// layer's bookkeeping.
/// </summary>
public sealed class TransactionMatchingTests
{
    private readonly TxHarness _h = new();

    [Fact]
    public void CANCEL_with_the_INVITEs_branch_has_its_own_server_transaction_pointing_at_the_INVITEs()
    {
        var invite = _h.ReceiveNew(TestMessages.Invite());
        var cancel = _h.ReceiveNew(TxMessages.Cancel());

        Assert.NotSame(invite, cancel);
        Assert.IsType<ServerNonInviteTransaction>(cancel);
        Assert.Equal(SipMethod.Cancel, cancel.Request.Method);
        Assert.Same(invite, cancel.CancelledInvite);
        Assert.Null(invite.CancelledInvite);
        Assert.Equal(2, _h.Layer.ServerCount);
        Assert.Equal(TransactionState.Proceeding, invite.State);
    }

    [Fact]
    public void CANCEL_with_no_matching_INVITE_still_gets_a_transaction_but_no_CancelledInvite()
    {
        var cancel = _h.ReceiveNew(TxMessages.Cancel("z9hG4bK-unknown"));
        Assert.Null(cancel.CancelledInvite);
    }

    [Fact]
    public void Responses_with_the_same_branch_go_to_the_transaction_of_their_CSeq_method()
    {
        var invite = _h.Send(TestMessages.Invite());
        var cancel = _h.Layer.SendRequest(CallControl.Sip.Parsing.SipParser.ParseTrusted(SipRequests.CreateCancel(invite.Request)), UdpPeer);
        Assert.Equal(2, _h.Layer.ClientCount);

        _h.Receive(TestMessages.Response(200, "CANCEL"));
        _h.Receive(TestMessages.Response(487, "INVITE"));

        Assert.Equal(
            [(cancel, 200), (invite, 487)],
            _h.User.Responses.Select(r => (r.Transaction, r.Response.StatusCode)));
        Assert.Equal(TransactionState.Completed, cancel.State);
        Assert.Equal(TransactionState.Completed, invite.State);
        Assert.Empty(_h.User.Strays);
    }

    [Fact]
    public void A_response_matching_no_transaction_is_stray()
    {
        _h.Send(TestMessages.Invite());
        _h.Receive(TestMessages.Response(200, branch: "z9hG4bK-other"));
        _h.Receive(TestMessages.Response(200, "BYE")); // right branch, wrong method

        Assert.Equal(2, _h.User.Strays.Count);
        Assert.All(_h.User.Strays, s => Assert.Equal(UdpPeer, s.Source));
        Assert.Empty(_h.User.Responses);
    }

    [Theory]
    [InlineData(";branch=1a2b3c")] // a branch without the magic cookie
    [InlineData("")] // no branch at all
    public void RFC2543_INVITE_matches_its_retransmission_and_its_ACK(string viaParameters)
    {
        var tx = _h.ReceiveNew(TxMessages.LegacyInvite(viaParameters));
        _h.Receive(TxMessages.LegacyInvite(viaParameters));
        Assert.Single(_h.User.Requests);
        Assert.Equal([100, 100], _h.Sender.Sent.Select(s => s.Message.StatusCode));

        // Another call with the same (non-unique) branch is another transaction.
        _h.ReceiveNew(TxMessages.LegacyInvite(viaParameters, callId: "call-2543-b@test"));
        Assert.Equal(2, _h.Layer.ServerCount);

        Assert.True(Respond(tx, 486));
        _h.Receive(TxMessages.LegacyInvite(viaParameters, method: "ACK"));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        Assert.Empty(_h.User.Acks);
    }

    [Fact]
    public void SendFailed_for_a_client_transactions_destination_is_a_transport_error()
    {
        var tx = _h.Send(TestMessages.Request("OPTIONS"));
        _h.AdvanceTo(1);
        _h.Sender.Fail(UdpPeer);

        var failure = Assert.Single(_h.User.Failures);
        Assert.Same(tx, failure.Transaction);
        Assert.True(failure.TransportError);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, _h.Layer.ClientCount);

        _h.AdvanceTo(60);
        Assert.Single(_h.User.Failures); // Timer F does not report it again
        Assert.Equal(2, _h.Sender.Sent.Count); // nor does E retransmit
    }

    [Fact]
    public void Transport_error_after_a_non_INVITE_final_is_not_a_failure_Figure6_Completed()
    {
        var tx = _h.Send(TestMessages.Request("BYE"));
        _h.Receive(TestMessages.Response(200, "BYE", "z9hG4bK-2", 2));
        _h.AdvanceTo(1);
        _h.Sender.Fail(UdpPeer); // say, another transaction's send to the same peer failed

        Assert.Empty(_h.User.Failures);
        Assert.Equal(TransactionState.Completed, tx.State);
        _h.AdvanceTo(5);
        Assert.Equal(TransactionState.Terminated, tx.State); // Timer K, as before
    }

    [Fact]
    public void Transport_error_in_Accepted_is_not_a_failure_and_later_2xx_still_reach_the_TU_RFC6026()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.Receive(TestMessages.Response(200));
        _h.Sender.Fail(UdpPeer);

        Assert.Empty(_h.User.Failures);
        Assert.Equal(TransactionState.Accepted, tx.State);
        _h.Receive(TestMessages.Response(200, toTag: ";tag=fork2"));
        Assert.Equal(2, _h.User.Responses.Count);
        _h.AdvanceTo(SixtyFourT1);
        Assert.Equal(TransactionState.Terminated, tx.State); // Timer M, as before
    }

    [Fact]
    public void Transport_error_in_INVITE_Completed_informs_the_TU_Figure5()
    {
        var tx = _h.Send(TestMessages.Invite());
        _h.Receive(TestMessages.Response(486));
        _h.Sender.Fail(UdpPeer);

        Assert.True(Assert.Single(_h.User.Failures).TransportError);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Counts_return_to_zero_once_every_transaction_has_terminated()
    {
        var uasInvite = _h.ReceiveNew(TestMessages.Invite());
        var uasBye = _h.ReceiveNew(TestMessages.Request("BYE", branch: "z9hG4bK-s2"));
        _h.ReceiveNew(TestMessages.Invite(branch: "z9hG4bK-s3", callId: "call-3@test"));
        var uacInvite = _h.Send(TestMessages.Invite(branch: "z9hG4bK-c1", callId: "call-4@test"));
        _h.Send(TestMessages.Request("OPTIONS", branch: "z9hG4bK-c2"));
        _h.Send(TestMessages.Invite(branch: "z9hG4bK-c3", callId: "call-5@test"));
        Assert.Equal(3, _h.Layer.ServerCount);
        Assert.Equal(3, _h.Layer.ClientCount);

        Assert.True(Respond(uasInvite, 200));
        Assert.True(Respond(uasBye, 200));
        _h.Receive(TestMessages.Response(180, branch: "z9hG4bK-c1"));
        _h.Receive(TestMessages.Response(200, "OPTIONS", "z9hG4bK-c2", 2));
        _h.Receive(TestMessages.Response(486, branch: "z9hG4bK-c3"));
        Assert.True(Respond(_h.User.Requests[2], 404));
        _h.Receive(TestMessages.Response(200, branch: "z9hG4bK-c1"));
        Assert.Equal(TransactionState.Accepted, uacInvite.State);

        _h.AdvanceTo(SixtyFourT1 + Epsilon);
        Assert.Equal(0, _h.Layer.ServerCount);
        Assert.Equal(0, _h.Layer.ClientCount);
    }
}
