using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.FaultProbe;

/// <summary>
/// One phone's REGISTER over UDP, with digest authentication (RFC 3261 §10.2, RFC 7616): sent, retransmitted on
/// Timer E's schedule until a final response (at most Timer F, 32 s), and answered once when challenged.
/// </summary>
public sealed class PhoneRegistration(IPEndPoint registrar, string aor, string password)
{
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan TimerF = 64 * T1;

    private readonly SipUri _aor = SipUri.Parse(aor);
    private readonly string _callId = $"probe-{Guid.NewGuid():N}@127.0.0.1";

    /// <summary>Binds <paramref name="contact"/> for <paramref name="expires"/>; the final status (200: bound), or 408 when nothing answered.</summary>
    public async Task<int> RegisterAsync(string contact, TimeSpan expires, CancellationToken cancellationToken)
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var response = await ExchangeAsync(socket, Request(socket, 1, contact, expires, null), 1, cancellationToken);
        if (response?.StatusCode == 401 && DigestClient.TryChoose(response.GetChallenges(HeaderId.WwwAuthenticate), out var challenge))
        {
            var credentials = DigestClient.Answer(challenge, _aor.User!, password, "REGISTER", RequestUri).ToHeaderValue();
            response = await ExchangeAsync(socket, Request(socket, 2, contact, expires, credentials), 2, cancellationToken);
        }

        return response?.StatusCode ?? 408;
    }

    private string RequestUri => $"sip:{_aor.Host}";

    private byte[] Request(UdpClient socket, uint cseq, string contact, TimeSpan expires, string? authorization)
    {
        var port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        var builder = SipMessageBuilder.Request(SipMethod.Register, RequestUri)
            .Add(HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-probe-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<{_aor}>;tag=probe")
            .Add(HeaderId.To, $"<{_aor}>")
            .Add(HeaderId.CallId, _callId)
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, $"<{contact}>")
            .Add(HeaderId.Expires, ((int)expires.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (authorization is not null)
        {
            builder.Add(HeaderId.Authorization, authorization);
        }

        return builder.ToArray();
    }

    /// <summary>Sends the request until its final response comes (retransmitting T1, 2T1, ... up to T2 apart); null after Timer F.</summary>
    private async Task<SipMessage?> ExchangeAsync(UdpClient socket, byte[] request, uint cseq, CancellationToken cancellationToken)
    {
        using var timerF = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timerF.CancelAfter(TimerF);
        var interval = T1;
        try
        {
            while (true)
            {
                await socket.SendAsync(request, registrar, timerF.Token);
                using var timerE = CancellationTokenSource.CreateLinkedTokenSource(timerF.Token);
                timerE.CancelAfter(interval);
                try
                {
                    while (true)
                    {
                        var datagram = await socket.ReceiveAsync(timerE.Token);
                        if (SipParser.TryParse(datagram.Buffer, out var response, out _) && response.StatusCode >= 200
                            && response.CallId == _callId && response.CSeq.Number == cseq)
                        {
                            return response;
                        }
                    }
                }
                catch (OperationCanceledException) when (!timerF.IsCancellationRequested)
                {
                    interval = interval * 2 < T2 ? interval * 2 : T2; // Timer E: retransmit
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // Timer F: no final response
        }
    }
}
