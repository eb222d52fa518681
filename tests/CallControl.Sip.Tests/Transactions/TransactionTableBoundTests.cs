using CallControl.Sip.Tests.Messages;
using static CallControl.Sip.Tests.Transactions.TxHarness;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>The server transaction table is bounded: past its limit a new request is answered 503 without a transaction.</summary>
public sealed class TransactionTableBoundTests
{
    [Fact]
    public void A_request_beyond_the_limit_gets_503_statelessly_and_the_table_does_not_grow()
    {
        var h = new TxHarness(maxServerTransactions: 1);
        h.Layer.Receive(TestMessages.Parse(TestMessages.Request("OPTIONS", branch: "z9hG4bK-first", toTag: "")), UdpPeer);
        Assert.Equal(1, h.Layer.ServerCount);

        h.Layer.Receive(TestMessages.Parse(TestMessages.Request("OPTIONS", branch: "z9hG4bK-second", toTag: "")), UdpPeer);

        Assert.Equal(1, h.Layer.ServerCount);
        var refusal = Assert.Single(h.Sender.Sent);
        Assert.Equal((503, "z9hG4bK-second"), (refusal.Message.StatusCode, refusal.Message.TopVia.Branch));
        Assert.Equal("5", refusal.Message.GetHeader(Sip.Headers.HeaderId.RetryAfter));
        Assert.Single(h.User.Requests); // only the first reached the transaction user
    }
}
