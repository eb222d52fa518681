using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>One message handed to the transport: where, what, and when (on the fake clock).</summary>
internal sealed record SentMessage(SipEndPoint Destination, byte[] Bytes, TimeSpan At)
{
    public SipMessage Message => SipParser.ParseTrusted(Bytes);
}

/// <summary>An <see cref="ISipSender"/> that records every send and can report a delivery failure.</summary>
internal sealed class RecordingSender(Func<TimeSpan> elapsed) : ISipSender
{
    public event Action<SipEndPoint>? SendFailed;

    public List<SentMessage> Sent { get; } = [];

    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message) => Sent.Add(new(destination, message.ToArray(), elapsed()));

    public void Fail(SipEndPoint destination) => SendFailed?.Invoke(destination);
}

/// <summary>An <see cref="ITransactionUser"/> that records every call, with the fake clock's time.</summary>
internal sealed class RecordingUser(Func<TimeSpan> elapsed) : ITransactionUser
{
    public List<ServerTransaction> Requests { get; } = [];

    public List<(SipMessage Ack, SipEndPoint Source, ServerTransaction? Answered)> Acks { get; } = [];

    public List<(ClientTransaction Transaction, SipMessage Response, TimeSpan At)> Responses { get; } = [];

    public List<(SipMessage Response, SipEndPoint Source)> Strays { get; } = [];

    public List<(ClientTransaction Transaction, bool TransportError, TimeSpan At)> Failures { get; } = [];

    public List<(ServerTransaction Transaction, TimeSpan At)> AckTimeouts { get; } = [];

    public void OnRequest(ServerTransaction transaction) => Requests.Add(transaction);

    public void OnAck(SipMessage ack, SipEndPoint source, ServerTransaction? answered) => Acks.Add((ack, source, answered));

    public void OnResponse(ClientTransaction transaction, SipMessage response) => Responses.Add((transaction, response, elapsed()));

    public void OnStrayResponse(SipMessage response, SipEndPoint source) => Strays.Add((response, source));

    public void OnClientFailure(ClientTransaction transaction, bool transportError) => Failures.Add((transaction, transportError, elapsed()));

    public void OnAckTimeout(ServerTransaction transaction) => AckTimeouts.Add((transaction, elapsed()));
}
