using System.Net;
using CallControl.Sip.Messages;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>
/// A transaction layer on a fake clock, with a recording sender and TU. Timer values are RFC 3261's
/// defaults (T1 500 ms, T2 4 s, T4 5 s, Timer D 32 s), which the tests write out literally.
/// </summary>
internal sealed class TxHarness
{
    public static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan T2 = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan T4 = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SixtyFourT1 = TimeSpan.FromSeconds(32);
    public static readonly TimeSpan Epsilon = TimeSpan.FromMilliseconds(1);

    /// <summary>The remote party over UDP (the test messages' Via sent-by is 127.0.0.1:5070).</summary>
    public static readonly SipEndPoint UdpPeer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    /// <summary>The remote party over a TCP connection.</summary>
    public static readonly SipEndPoint TcpPeer = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5070), 7);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);

    private readonly DateTimeOffset _start;

    public TxHarness(SipTimerOptions? timers = null, int maxServerTransactions = int.MaxValue)
    {
        _start = Clock.GetUtcNow();
        Sender = new RecordingSender(() => Elapsed);
        User = new RecordingUser(() => Elapsed);
        Layer = new TransactionLayer(Sender, Clock, timers ?? new SipTimerOptions(), NullLogger<TransactionLayer>.Instance, maxServerTransactions: maxServerTransactions);
        Layer.Attach(User);
    }

    public FakeTimeProvider Clock { get; } = new();

    public RecordingSender Sender { get; }

    public RecordingUser User { get; }

    public TransactionLayer Layer { get; }

    public TimeSpan Elapsed => Clock.GetUtcNow() - _start;

    /// <summary>
    /// Moves the fake clock to <paramref name="time"/> after the start, firing the timers due on the way. It steps
    /// a millisecond at a time: <see cref="FakeTimeProvider"/> runs callbacks at the end of an Advance, so a timer
    /// restarted from its own callback would otherwise be due from the end of the step, not from when it fired.
    /// </summary>
    public void AdvanceTo(TimeSpan time)
    {
        Assert.True(time >= Elapsed, $"cannot go back from {Elapsed} to {time}");
        while (Elapsed < time)
        {
            var step = time - Elapsed;
            Clock.Advance(step < Step ? step : Step);
        }
    }

    public void AdvanceTo(double seconds) => AdvanceTo(TimeSpan.FromSeconds(seconds));

    public void Receive(string text, SipEndPoint? source = null) => Layer.Receive(TestMessages.Parse(text), source ?? UdpPeer);

    public ClientTransaction Send(string request, SipEndPoint? destination = null) => Layer.SendRequest(TestMessages.Parse(request), destination ?? UdpPeer);

    /// <summary>The server transaction the INVITE (or request) <paramref name="text"/> created, via the TU.</summary>
    public ServerTransaction ReceiveNew(string text, SipEndPoint? source = null)
    {
        var before = User.Requests.Count;
        Receive(text, source);
        Assert.Equal(before + 1, User.Requests.Count);
        return User.Requests[^1];
    }

    /// <summary>Sends a response built from the transaction's request.</summary>
    public static bool Respond(ServerTransaction transaction, int status, string? toTag = "b1")
        => transaction.SendResponse(SipResponses.Simple(transaction.Request, status, toTag: toTag));

    /// <summary>The times at which messages matching <paramref name="filter"/> were sent, in seconds after the start.</summary>
    public double[] SendTimes(Func<SipMessage, bool> filter)
        => [.. Sender.Sent.Where(s => filter(s.Message)).Select(s => s.At.TotalSeconds)];

    public static bool IsRequest(SipMessage message, SipMethod method) => message.IsRequest && message.Method == method;

    public static bool IsStatus(SipMessage message, int status) => !message.IsRequest && message.StatusCode == status;
}
