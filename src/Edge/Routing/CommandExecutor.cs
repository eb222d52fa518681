using CallControl.Grains;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// Carries out what a grain returned: responses through the server transaction they answer, requests in
/// new client transactions, ACKs for 2xx without one (RFC 3261 §13.2.2.4, §17.1.1.3).
/// </summary>
internal sealed partial class CommandExecutor(TransactionLayer transactions, PeerResolver resolver, ILogger<CommandExecutor> logger)
{
    public async Task ExecuteAsync(SipCommand[] commands, string dialogKey, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            // Only a request is parsed here (its client transaction reads it); a response names the transaction it
            // answers (from a grain that does not, it is parsed for that), and an ACK goes out as it is.
            var message = command.Kind == SipCommandKind.Request || (command.Kind == SipCommandKind.Respond && command.Answers is null)
                ? SipParser.ParseTrusted(command.Message)
                : null;
            var answers = command.Kind == SipCommandKind.Respond ? command.Answers?.Key ?? TransactionKey.ForServerResponse(message!) : default;
            if (command.Kind == SipCommandKind.Respond && transactions.FindServer(answers) is { } server)
            {
                TransactionNotes.OnResponseSent(server, command.Flags); // before it goes out: the ACK may race the send's return
                server.SendResponse(command.Message);
                continue;
            }

            var destination = await resolver.ResolveAsync(command.Destination, cancellationToken).ConfigureAwait(false);
            if (destination is null)
            {
                Log.Unresolvable(logger, dialogKey, command.Destination);
                continue;
            }

            switch (command.Kind)
            {
                case SipCommandKind.Request:
                    transactions.SendRequest(message!, destination.Value, TransactionNotes.ForRequest(command.Flags));
                    break;
                default:
                    // An ACK, or a response whose transaction is gone (it lived on another edge, or ended): stateless.
                    transactions.SendStateless(command.Message, destination.Value);
                    break;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Call {DialogKey}: cannot resolve {Destination}; message not sent")]
        public static partial void Unresolvable(ILogger logger, string dialogKey, SipPeer destination);
    }
}
