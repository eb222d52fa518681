using CallControl.Sip.Tests.Messages;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// What a draining edge waits for: transactions without their final response. Lingering ones (kept only to absorb
/// retransmissions) do not count, or every drain would last Timer J's 32 s.
/// </summary>
public sealed class UnfinishedCountTests
{
    private readonly TxHarness _h = new();

    [Fact]
    public void Counts_server_and_client_transactions_until_their_final_response_and_not_while_they_linger()
    {
        var server = _h.ReceiveNew(TestMessages.Invite());
        var client = _h.Send(TestMessages.Invite(branch: "z9hG4bK-client", callId: "call-2@test"));
        Assert.Equal(2, _h.Layer.UnfinishedCount);

        Respond(server, 180);
        _h.Receive(TestMessages.Response(180, branch: "z9hG4bK-client"));
        Assert.Equal(2, _h.Layer.UnfinishedCount); // provisional answers finish nothing

        Respond(server, 486); // Completed: waits for its ACK, but has its final
        Assert.Equal(1, _h.Layer.UnfinishedCount);
        Assert.Equal(1, _h.Layer.ServerCount);

        _h.Receive(TestMessages.Response(200, branch: "z9hG4bK-client"));
        Assert.Equal(0, _h.Layer.UnfinishedCount);
        Assert.Equal(client.Key, Assert.Single(_h.User.Responses, r => r.Response.StatusCode == 200).Transaction.Key);
    }
}
