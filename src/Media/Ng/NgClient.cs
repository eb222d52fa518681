using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CallControl.Media.Bencode;
using Microsoft.Extensions.Logging;

namespace CallControl.Media.Ng;

/// <summary>
/// The ng client: one UDP socket per address family for every command in flight, a new cookie per command, the same
/// datagram retransmitted on each per-attempt timeout (rtpengine caches its replies by cookie, so a retransmission is
/// never acted on twice), and replies matched to commands by cookie and source address.
/// </summary>
public sealed partial class NgClient : INgClient, IDisposable
{
    private readonly NgRetry _retry;
    private readonly TimeProvider _time;
    private readonly ILogger<NgClient> _logger;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Lock _socketsLock = new();
    private NgSocket? _v4;
    private NgSocket? _v6;
    private long _cookies;
    private bool _disposed;

    /// <summary>A client whose commands wait <paramref name="retry"/> unless told otherwise.</summary>
    public NgClient(NgRetry retry, TimeProvider time, ILogger<NgClient> logger)
    {
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentOutOfRangeException.ThrowIfLessThan(retry.Attempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retry.Timeout, TimeSpan.Zero);
        _retry = retry;
        _time = time;
        _logger = logger;
    }

    /// <summary>Commands sent and not yet answered or given up (for tests and metrics).</summary>
    public int InFlight => _pending.Count;

    /// <inheritdoc />
    public async Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(command);
        retry ??= _retry;
        var target = await ResolveAsync(address, cancellationToken);
        var socket = SocketFor(target.AddressFamily);
        var cookie = NgDatagram.NewCookie(ref _cookies);
        var datagram = NgDatagram.Frame(cookie, command, arguments);
        var pending = new Pending(target);
        _pending[cookie] = pending;
        try
        {
            var body = await ExchangeAsync(socket, datagram, pending, address, command, cookie, retry, cancellationToken);
            return Check(address, command, body);
        }
        finally
        {
            _pending.TryRemove(cookie, out _);
        }
    }

    /// <summary>Closes the sockets; commands in flight time out.</summary>
    public void Dispose()
    {
        lock (_socketsLock)
        {
            _disposed = true;
            _v4?.Dispose();
            _v6?.Dispose();
        }
    }

    private async Task<byte[]> ExchangeAsync(NgSocket socket, byte[] datagram, Pending pending, NgAddress address, string command, string cookie, NgRetry retry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= retry.Attempts; attempt++)
        {
            if (attempt > 1)
            {
                LogRetransmit(_logger, command, address, retry.Timeout.TotalMilliseconds, attempt, retry.Attempts, cookie);
            }

            try
            {
                await socket.SendAsync(datagram, pending.Source, cancellationToken);
            }
            catch (SocketException e)
            {
                // Unreachable network and the like: this attempt is lost, as a dropped datagram would be.
                LogSendFailed(_logger, command, address, e.SocketErrorCode);
            }

            try
            {
                return await pending.Reply.Task.WaitAsync(retry.Timeout, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // next attempt, same datagram
            }
        }

        LogTimeout(_logger, command, address, retry.Attempts, retry.Timeout.TotalMilliseconds);
        throw new NgTimeoutException(command, address, retry.Attempts, retry.Timeout);
    }

    private BencodeDictionary Check(NgAddress address, string command, byte[] body)
    {
        BencodeDictionary reply;
        try
        {
            reply = BencodeReader.Decode(body).AsDictionary() ?? throw new NgProtocolException($"rtpengine {address} answered '{command}' with bencode that is not a dictionary.");
        }
        catch (BencodeFormatException e)
        {
            LogMalformedReply(_logger, command, address, e.Message);
            throw new NgProtocolException($"rtpengine {address} answered '{command}' with malformed bencode: {e.Message}", e);
        }

        var result = reply.Text("result") ?? throw new NgProtocolException($"rtpengine {address} answered '{command}' without a result.");
        if (result == "error")
        {
            var reason = reply.Text("error-reason") ?? "(no error-reason)";
            LogErrorReply(_logger, command, address, reason);
            throw new NgErrorException(command, address, reason);
        }

        return reply;
    }

    private void OnReply(IPEndPoint source, ReadOnlyMemory<byte> datagram)
    {
        if (!NgDatagram.TrySplit(datagram.Span, out var cookie, out var body))
        {
            LogStrayReply(_logger, source, "no cookie");
            return;
        }

        if (!_pending.TryGetValue(Encoding.ASCII.GetString(cookie), out var pending) || !Same(pending.Source, source))
        {
            LogStrayReply(_logger, source, "unknown cookie (a late duplicate, or not ours)");
            return;
        }

        pending.Reply.TrySetResult(body.ToArray());
    }

    private static bool Same(IPEndPoint expected, IPEndPoint source) =>
        expected.Port == source.Port && (expected.Address.Equals(source.Address)
            || (source.Address.IsIPv4MappedToIPv6 && expected.Address.Equals(source.Address.MapToIPv4())));

    private NgSocket SocketFor(AddressFamily family)
    {
        lock (_socketsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return family == AddressFamily.InterNetworkV6
                ? _v6 ??= new NgSocket(family, OnReply, e => LogReceiveFailed(_logger, e.SocketErrorCode))
                : _v4 ??= new NgSocket(family, OnReply, e => LogReceiveFailed(_logger, e.SocketErrorCode));
        }
    }

    private static async Task<IPEndPoint> ResolveAsync(NgAddress address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address.Host, out var ip))
        {
            return new IPEndPoint(ip, address.Port);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(address.Host, cancellationToken);
        }
        catch (SocketException e)
        {
            throw new NgException($"rtpengine {address}: the host name does not resolve ({e.SocketErrorCode}).", e);
        }

        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new NgException($"rtpengine {address}: the host name resolves to no address.");
        return new IPEndPoint(chosen, address.Port);
    }

    private sealed class Pending(IPEndPoint source)
    {
        public IPEndPoint Source { get; } = source;

        public TaskCompletionSource<byte[]> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
