using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>rtpengine's ng commands, typed, on any <see cref="INgClient"/> (ECOSYSTEM.md §3 for the shapes).</summary>
public static class NgCommands
{
    /// <summary><c>ping</c>: completes when rtpengine answers <c>pong</c>.</summary>
    public static async Task PingAsync(this INgClient client, NgAddress address, NgRetry? retry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var reply = await client.SendAsync(address, "ping", null, retry, cancellationToken);
        if (reply.Text("result") != "pong")
        {
            throw new NgProtocolException($"rtpengine {address} answered ping with '{reply.Text("result")}', not pong.");
        }
    }

    /// <summary><c>offer</c>: returns the SDP to send to the answerer.</summary>
    public static Task<SdpReply> OfferAsync(this INgClient client, NgAddress address, OfferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SdpAsync(client, address, "offer", request.ToArguments(), cancellationToken);
    }

    /// <summary><c>answer</c>: returns the SDP to send back to the offerer.</summary>
    public static Task<SdpReply> AnswerAsync(this INgClient client, NgAddress address, AnswerRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SdpAsync(client, address, "answer", request.ToArguments(), cancellationToken);
    }

    /// <summary><c>delete</c> (with <c>delete-delay: 0</c> unless told otherwise): the call's final statistics.</summary>
    public static async Task<CallStatistics> DeleteAsync(this INgClient client, NgAddress address, DeleteRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        return CallStatistics.Parse(await client.SendAsync(address, "delete", request.ToArguments(), null, cancellationToken));
    }

    /// <summary><c>query</c>: the call's statistics so far; <see cref="NgErrorException"/> (<c>Unknown call-id</c>) when there is no such call.</summary>
    public static async Task<CallStatistics> QueryAsync(this INgClient client, NgAddress address, string callId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return CallStatistics.Parse(await client.SendAsync(address, "query", new BencodeDictionary { ["call-id"] = callId }, null, cancellationToken));
    }

    /// <summary><c>list</c>: the call-ids rtpengine holds (at most <paramref name="limit"/>; rtpengine's default is 32).</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(this INgClient client, NgAddress address, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var arguments = new BencodeDictionary();
        arguments["limit"] = limit is { } l ? (BencodeValue)l : null;
        var reply = await client.SendAsync(address, "list", arguments, null, cancellationToken);
        return reply.List("calls")?.Texts().ToList() ?? [];
    }

    /// <summary><c>statistics</c>: the rtpengine's load.</summary>
    public static async Task<EngineStatistics> StatisticsAsync(this INgClient client, NgAddress address, NgRetry? retry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return EngineStatistics.Parse(await client.SendAsync(address, "statistics", null, retry, cancellationToken));
    }

    private static async Task<SdpReply> SdpAsync(INgClient client, NgAddress address, string command, BencodeDictionary arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var reply = await client.SendAsync(address, command, arguments, null, cancellationToken);
        var sdp = reply.Text("sdp") ?? throw new NgProtocolException($"rtpengine {address} answered '{command}' without an SDP.");
        return new(sdp, reply.Text("warning"), reply);
    }
}
