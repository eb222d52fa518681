using System.Collections.Concurrent;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>An <see cref="INgClient"/> without a network: each rtpengine answers, refuses or is silent as the test says, with a load.</summary>
internal sealed class FakeNgClient : INgClient
{
    private readonly ConcurrentDictionary<NgAddress, long?> _answering = new(); // null: silent; else its sessions
    private readonly ConcurrentQueue<(NgAddress Address, string Command)> _sent = new();
    private readonly ConcurrentDictionary<NgAddress, string> _refusing = new(); // answers result: error with this reason

    public IEnumerable<(NgAddress Address, string Command)> Sent => _sent;

    public void Answer(NgAddress address, long sessions = 0) => _answering[address] = sessions;

    public void Silence(NgAddress address) => _answering[address] = null;

    public void Refuse(NgAddress address, string reason) => _refusing[address] = reason;

    public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
    {
        _sent.Enqueue((address, command));
        if (_refusing.TryGetValue(address, out var reason))
        {
            return Task.FromException<BencodeDictionary>(new NgErrorException(command, address, reason));
        }

        if (_answering.GetValueOrDefault(address) is not { } sessions)
        {
            return Task.FromException<BencodeDictionary>(new NgTimeoutException(command, address, retry?.Attempts ?? 1, retry?.Timeout ?? TimeSpan.FromSeconds(1)));
        }

        return Task.FromResult(command switch
        {
            "ping" => new BencodeDictionary { ["result"] = "pong" },
            "statistics" => new BencodeDictionary
            {
                ["result"] = "ok",
                ["statistics"] = new BencodeDictionary { ["currentstatistics"] = new BencodeDictionary { ["sessionsown"] = sessions } },
            },
            _ => new BencodeDictionary { ["result"] = "ok" },
        });
    }
}
