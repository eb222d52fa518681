using System.Threading.Channels;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>The wire, as the router's transaction layer sees it: every message sent, in order, to be awaited.</summary>
internal sealed class RecordingSender : ISipSender
{
    private readonly Channel<(SipEndPoint Destination, SipMessage Message)> _sent = Channel.CreateUnbounded<(SipEndPoint, SipMessage)>();

    public event Action<SipEndPoint>? SendFailed;

    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message) => _sent.Writer.TryWrite((destination, SipParser.ParseTrusted(message.ToArray())));

    /// <summary>The next message sent, as it goes out.</summary>
    public async Task<(SipEndPoint Destination, SipMessage Message)> NextAsync() => await _sent.Reader.ReadAsync().AsTask().WaitAsync(RouterHarness.Patience);

    /// <summary>True when a message went out that no test has taken yet.</summary>
    public bool TryTake(out SipMessage? message)
    {
        var taken = _sent.Reader.TryRead(out var sent);
        message = taken ? sent.Message : null;
        return taken;
    }

    /// <summary>Tells the layer a destination could not be reached (unused by these tests; here for the interface).</summary>
    public void Fail(SipEndPoint destination) => SendFailed?.Invoke(destination);
}
