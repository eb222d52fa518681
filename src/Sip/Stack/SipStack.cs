using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Stack;

/// <summary>
/// The boundary between transports and transactions: every message is parsed here, and every failure
/// is turned into its response (or a silent drop) here and nowhere else. Nothing thrown by a malformed
/// message gets past this class into a receive loop.
/// </summary>
public sealed partial class SipStack : ISipMessageSink
{
    private readonly TransactionLayer _transactions;
    private readonly ISipSender _sender;
    private readonly ILogger _logger;
    private readonly SipMetrics? _metrics;

    /// <summary>Creates the stack over a sender and its transaction layer; rejected messages are counted in <paramref name="metrics"/>, if given.</summary>
    public SipStack(ISipSender sender, TransactionLayer transactions, ILogger<SipStack> logger, SipMetrics? metrics = null)
    {
        _metrics = metrics;
        _sender = sender;
        _transactions = transactions;
        _logger = logger;
    }

    /// <summary>Raised for every rejected message, with why: for metrics and screening.</summary>
    public event Action<SipParseFailure, SipEndPoint>? Rejected;

    /// <inheritdoc />
    public void OnMessage(ReadOnlyMemory<byte> message, SipEndPoint source, TimeSpan waited)
    {
        try
        {
            if (!SipParser.TryParse(message, source.Transport.IsStreamFramed(), out var parsed, out var failure)
                || !parsed.TryParseDialogHeaders(out failure))
            {
                Reject(message.Span, source, failure);
                return;
            }

            _transactions.Receive(parsed, source, waited);
        }
#pragma warning disable CA1031 // The receive loop must survive anything one message causes; it is logged with the message's source.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(_logger, e, source);
        }
    }

    private void Reject(ReadOnlySpan<byte> message, SipEndPoint source, SipParseFailure failure)
    {
        if (failure.Error == SipParseError.KeepAlive)
        {
            return;
        }

        Rejected?.Invoke(failure, source);
        _metrics?.Rejected(failure.Error.ToString());
        var response = MalformedRequestResponder.TryBuild(message, failure);
        Log.Rejected(_logger, source, failure.Error, failure.Header, response is not null);
        if (response is not null)
        {
            // No Via could be trusted, so the response goes straight back where the datagram came from.
            _sender.Send(source, response);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Rejected a message from {Source}: {Error} {Header} (answered: {Answered})")]
        public static partial void Rejected(ILogger logger, SipEndPoint source, SipParseError error, HeaderId header, bool answered);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Handling a message from {Source} failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, SipEndPoint source);
    }
}
