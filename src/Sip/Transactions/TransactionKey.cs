using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Sip.Transactions;

/// <summary>
/// What identifies a transaction (RFC 3261 §17.1.3, §17.2.3): the top Via's branch, the sent-by for
/// server transactions, and the method, with ACK folded into INVITE. Requests from RFC 2543 peers
/// (no magic cookie) are keyed by Call-ID, CSeq number, From tag, Request-URI and top Via instead.
/// </summary>
public readonly record struct TransactionKey(string Branch, string SentBy, SipMethod Method)
{
    /// <summary>The key of the server transaction a request belongs to (an ACK or CANCEL matches on its own method rules).</summary>
    public static TransactionKey ForServer(SipMessage request)
    {
        var via = request.TopVia;
        var method = request.Method == SipMethod.Ack ? SipMethod.Invite : request.Method;
        var branch = via.Branch;
        if (branch is not null && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal))
        {
            return new(branch, via.SentBy, method);
        }

        // RFC 2543 matching (§17.2.3, last paragraph); the To tag is left out so that the ACK matches its INVITE.
        var legacy = $"2543|{request.CallId}|{request.CSeq.Number}|{request.From.Tag}|{request.RequestUri}";
        return new(legacy, via.SentBy, method);
    }

    /// <summary>The key of the server transaction a response we are about to send answers (its top Via and CSeq method).</summary>
    public static TransactionKey ForServerResponse(SipMessage response)
    {
        var via = response.TopVia;
        return new(via.Branch ?? "", via.SentBy, response.CSeq.Method);
    }

    /// <summary>The key of the client transaction a response belongs to.</summary>
    public static TransactionKey ForClient(SipMessage response) => new(response.TopVia.Branch ?? "", "", response.CSeq.Method);

    /// <summary>The key of a client transaction for a request we send.</summary>
    public static TransactionKey ForClientRequest(SipMessage request) => new(request.TopVia.Branch ?? "", "", request.Method);

    /// <summary>The key of the INVITE server transaction a CANCEL targets (§9.2).</summary>
    public TransactionKey WithMethod(SipMethod method) => this with { Method = method };
}
