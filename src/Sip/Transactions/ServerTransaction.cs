using System.Net;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>A server transaction: hands a request up once and sends (and resends) the TU's responses.</summary>
public abstract class ServerTransaction : SipTransaction
{
    private protected ServerTransaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipEndPoint source)
        : base(layer, key, request, ResponseDestination(request, source))
    {
        Source = source;
    }

    /// <summary>Where the request came from (the connection, for stream transports).</summary>
    public SipEndPoint Source { get; }

    /// <summary>For a CANCEL: the INVITE server transaction it cancels, when one matched (RFC 3261 §9.2).</summary>
    public ServerInviteTransaction? CancelledInvite { get; internal set; }

    /// <summary>The last response sent, if any.</summary>
    public int LastStatusCode { get; private protected set; }

    /// <summary>Sends a response built by the TU. Returns false when it was not valid in the current state.</summary>
    public bool SendResponse(ReadOnlyMemory<byte> response)
    {
        response = ViaStamp.Apply(response, Request, Source);
        if (!SipParser.TryParse(response, out var parsed, out _) || parsed.IsRequest)
        {
            throw new ArgumentException("Not a well-formed SIP response.", nameof(response));
        }

        var accepted = false;
        Run(() =>
        {
            accepted = OnSendResponse(parsed);
            return null;
        });
        return accepted;
    }

    /// <summary>The request arrived again.</summary>
    internal void ReceiveRetransmission() => Run(OnRetransmission);

    internal override void OnTransportError() => Run(() =>
    {
        Terminate();
        return null;
    });

    private protected abstract bool OnSendResponse(SipMessage response);

    private protected abstract Action? OnRetransmission();

    /// <summary>
    /// Where responses go (RFC 3261 §18.2.2, RFC 3581): back over the connection for stream transports;
    /// for UDP to the source address, at the source port when rport was asked for, else the Via's port.
    /// </summary>
    internal static SipEndPoint ResponseDestination(SipMessage request, SipEndPoint source)
    {
        if (source.Transport.IsReliable())
        {
            return source;
        }

        var via = request.TopVia;
        var port = via.HasRport ? source.Address.Port : via.Port ?? 5060;
        return source with { Address = new IPEndPoint(source.Address.Address, port) };
    }
}
