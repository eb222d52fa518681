using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Registrar;

/// <summary>
/// Keeps the edge's NATed UDP flows open (docs/nat.md, "Keep-alives"): learns them from the registrar's 2xx to
/// REGISTERs (<see cref="FlowUpdate"/>), sends each its keep-alive every interval from the edge's own UDP socket
/// (<see cref="NatFlowTable"/> says which are due), takes the answers (<see cref="TryTakeAnswer"/>), and tells each
/// registrar once when a flow is dead. No grain call per keep-alive, nor per answer. The host runs <see cref="RunAsync"/>.
/// </summary>
internal sealed partial class NatKeepAlives
{
    private readonly NatFlowTable _table;
    private readonly NatKeepAliveMethod _method;
    private readonly ISipSender _sender;
    private readonly Func<EdgeInfo> _edge;
    private readonly Func<string, SipPeer, Task> _flowFailed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NatMetrics? _metrics;
    private readonly string _nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)); // this edge's keep-alives, not another's
    private readonly List<KeepAliveDue> _send = [];
    private readonly List<FailedFlow> _failed = [];

    /// <param name="options">Validated settings, keep-alives enabled.</param>
    /// <param name="sender">The edge's transports: keep-alives go out of its UDP socket, unscreened (the border screens what comes in).</param>
    /// <param name="edge">The edge as grains see it: its id (in the flow's <see cref="SipPeer"/>), host and UDP port (the Via).</param>
    /// <param name="flowFailed">Tells the registrar of an AOR that a flow is dead (<see cref="IRegistrarGrain.FlowFailed"/>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where dead flows are logged.</param>
    /// <param name="meterFactory">The host's meters; none: not counted.</param>
    public NatKeepAlives(NatKeepAliveOptions options, ISipSender sender, Func<EdgeInfo> edge, Func<string, SipPeer, Task> flowFailed, TimeProvider time, ILogger<NatKeepAlives> logger, IMeterFactory? meterFactory = null)
    {
        _method = options.NatKeepAliveMethod;
        var failures = _method == NatKeepAliveMethod.Options ? options.NatKeepAliveFailures : 0;
        _table = new NatFlowTable(options.NatKeepAlive, failures, options.NatKeepAliveMaxFlows, time.GetUtcNow());
        _sender = sender;
        _edge = edge;
        _flowFailed = flowFailed;
        _time = time;
        _logger = logger;
        _metrics = meterFactory is null ? null : new NatMetrics(meterFactory, () => _table.Count);
    }

    /// <summary>Flows kept open now.</summary>
    public int Flows => _table.Count;

    /// <summary>A REGISTER from <paramref name="source"/> the registrar answered with <paramref name="commands"/>: its NATed flow kept, refreshed or let go.</summary>
    public void Learn(SipMessage register, SipEndPoint source, SipCommand[] commands)
    {
        var now = _time.GetUtcNow();
        FlowUpdate? read;
        try
        {
            read = FlowUpdate.From(register, source, commands, now);
        }
        catch (Sip.Parsing.SipFormatException)
        {
            return; // a Contact the registrar accepted but the edge cannot read: that flow is not kept open
        }

        switch (read)
        {
            case { ExpiresAt: { } expiresAt } update:
                if (_table.Learn(source, update.Aor, update.Contact, expiresAt, now) == LearnOutcome.Full)
                {
                    _metrics?.Ended("refused");
                }

                break;
            case { } update:
                _table.Forget(source, update.Aor);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// True when <paramref name="response"/> answers one of the edge's keep-alives, which proves its flow alive: it is
    /// kept here, never routed. A test of the top Via's branch, already parsed to look for its client transaction.
    /// </summary>
    public bool TryTakeAnswer(SipMessage response, SipEndPoint source)
    {
        if (!KeepAliveRequest.IsAnswer(response))
        {
            return false;
        }

        var answered = _table.Answered(source.Address); // not inside ?. : that would skip it without metrics
        _metrics?.KeepAlives(answered ? "answered" : "ignored");
        return true;
    }

    // The edge's host of the flow's family: a dual-stack edge names its IPv6 address to an IPv6 phone (EdgeInfo.HostFor).
    private static string ViaHost(EdgeInfo edge, SipEndPoint flow)
        => edge.AlternateHost is null ? edge.Host : edge.HostFor(SipHost.Of(flow.Address.Address));

    /// <summary>Sends what is due by now and reports the flows found dead. One caller at a time (the loop, or a test).</summary>
    public void Advance()
    {
        _send.Clear();
        _failed.Clear();
        var expired = _table.Advance(_time.GetUtcNow(), _send, _failed);
        if (expired > 0)
        {
            _metrics?.Ended("expired", expired);
        }

        var edge = _edge();
        foreach (var due in _send)
        {
            _sender.Send(due.Destination, _method == NatKeepAliveMethod.Crlf ? KeepAliveRequest.Crlf : KeepAliveRequest.Options(due, ViaHost(edge, due.Destination), edge.UdpPort, _nonce));
        }

        if (_send.Count > 0)
        {
            _metrics?.KeepAlives("sent", _send.Count);
        }

        foreach (var flow in _failed)
        {
            Log.FlowFailed(_logger, flow.Source, flow.Unanswered, flow.Aors.Length);
            _metrics?.KeepAlives("failed", flow.Unanswered);
            _metrics?.Ended("failed");
            var peer = PeerResolver.ToPeer(flow.Source, edge.EdgeId); // as the REGISTER's SipInbound.Source said it
            foreach (var aor in flow.Aors)
            {
                _ = TellAsync(aor, peer);
            }
        }
    }

    /// <summary>Runs the wheel, a tick a second, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(NatFlowTable.Tick, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                Advance();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // stopped
        }
    }

    private async Task TellAsync(string aor, SipPeer flow)
    {
        try
        {
            await _flowFailed(aor, flow).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Told once, best effort: a registrar out of reach learns of the flow when the phone registers again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.TellFailed(_logger, e, aor, flow);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "NAT flow {Source} is dead: {Unanswered} keep-alives unanswered; telling the registrars of its {Aors} AORs")]
        public static partial void FlowFailed(ILogger logger, SipEndPoint source, int unanswered, int aors);

        [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Could not tell the registrar of {Aor} that flow {Flow} is dead")]
        public static partial void TellFailed(ILogger logger, Exception exception, string aor, SipPeer flow);
    }
}
