using System.Net;
using System.Text;
using System.Threading.Channels;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.FaultProbe.Media;

/// <summary>
/// One party of a held call, as a phone: its media (an <see cref="RtpStream"/>), and while held, the answers a phone
/// gives: a re-INVITE is answered 200 with its own SDP (a new session version) and its media goes where the re-INVITE's
/// SDP says; a BYE it did not send means the call was dropped. Its inbox has one reader at a time: the set-up, the
/// hold, the hang-up.
/// </summary>
internal sealed class MediaLeg(SipSocket socket, string callId, IPEndPoint peer, string user, uint ssrc) : IDisposable
{
    private int _version = 1;

    public RtpStream Media { get; } = new(ssrc);

    private readonly ChannelReader<(SipMessage Message, IPEndPoint From)> _inbox = socket.Inbox(callId);

    public int Moves { get; private set; }

    public bool Dropped { get; private set; }

    /// <summary>Re-INVITEs answered whose ACK has not come (a 2xx the network lost is a call half moved).</summary>
    public int Unacknowledged { get; private set; }

    public string Sdp() => Media.Sdp(user, _version);

    /// <summary>Answers what the network sends this party until <paramref name="cancellationToken"/> ends the hold.</summary>
    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var (message, from) = await _inbox.ReadAsync(cancellationToken); // answered where it came from, as RFC 3581 has it
                if (message.Method == SipMethod.Invite)
                {
                    Moves++;
                    Unacknowledged++;
                    _version++;
                    Media.SendTo(SdpText.Audio(Encoding.ASCII.GetString(message.Body.Span)));
                    await socket.SendAsync(SipResponses.Create(message, 200)
                        .Add(HeaderId.Contact, $"<sip:{user}@127.0.0.1:{socket.Port}>")
                        .Body(Encoding.ASCII.GetBytes(Sdp()), "application/sdp").ToArray(), from);
                }
                else if (message.Method == SipMethod.Ack && Unacknowledged > 0)
                {
                    Unacknowledged--;
                }
                else if (message.Method == SipMethod.Bye)
                {
                    Dropped = true;
                    await socket.SendAsync(SipResponses.Simple(message, 200), from);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the hold is over
        }
    }

    public Task SendAsync(byte[] message) => socket.SendAsync(message, peer);

    public void Dispose() => Media.Dispose();

    /// <summary>The next message that is <paramref name="wanted"/> within <paramref name="within"/>; others are passed over.</summary>
    public async Task<SipMessage> NextAsync(Func<SipMessage, bool> wanted, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        SipMessage message;
        do
        {
            (message, _) = await _inbox.ReadAsync(timeout.Token);
        }
        while (!wanted(message));

        return message;
    }
}
