using System.Net;
using System.Net.Sockets;
using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>
/// How rtpengine treats one side's SDP in an <c>offer</c> or <c>answer</c> (rtpengine's ng keys in brackets). The
/// default hides the topology as ECOSYSTEM.md §3 verified: <c>replace: [origin, session-connection]</c>,
/// <c>ICE: remove</c>, <c>flags: [trust-address]</c>.
/// </summary>
public sealed record MediaFlags
{
    /// <summary>The defaults above.</summary>
    public static readonly MediaFlags Default = new();

    /// <summary>[flags] e.g. <c>trust-address</c> (use the SDP's address, not the signalling source), <c>symmetric</c>, <c>strict-source</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = ["trust-address"];

    /// <summary>[replace] SDP parts rewritten besides the media ports: <c>origin</c>, <c>session-connection</c>.</summary>
    public IReadOnlyList<string> Replace { get; init; } = ["origin", "session-connection"];

    /// <summary>[ICE] <c>remove</c>, <c>force</c>, <c>default</c>...; null: not sent.</summary>
    public string? Ice { get; init; } = "remove";

    /// <summary>[transport-protocol] toward the receiver of this SDP: <c>RTP/AVP</c>, <c>RTP/SAVP</c>, <c>UDP/TLS/RTP/SAVPF</c>...</summary>
    public string? TransportProtocol { get; init; }

    /// <summary>[DTLS] <c>passive</c>, <c>active</c>, <c>off</c>; null: rtpengine's default.</summary>
    public string? Dtls { get; init; }

    /// <summary>[SDES] e.g. <c>off</c>, <c>no-AES_CM_128_HMAC_SHA1_32</c>; null: not sent.</summary>
    public IReadOnlyList<string>? Sdes { get; init; }

    /// <summary>[direction] the two interfaces' names, from and to (multi-homed rtpengine); null: not sent.</summary>
    public IReadOnlyList<string>? Direction { get; init; }

    /// <summary>[rtcp-mux] e.g. <c>demux</c>, <c>offer</c>, <c>accept</c>; null: not sent.</summary>
    public IReadOnlyList<string>? RtcpMux { get; init; }

    /// <summary>[received-from] the signalling source of this SDP (without trust-address, rtpengine uses it as the media address).</summary>
    public IPAddress? ReceivedFrom { get; init; }

    /// <summary>Adds these flags' keys to a request.</summary>
    internal void AddTo(BencodeDictionary request)
    {
        AddList(request, "flags", Flags);
        AddList(request, "replace", Replace);
        AddList(request, "SDES", Sdes);
        AddList(request, "direction", Direction);
        AddList(request, "rtcp-mux", RtcpMux);
        request["ICE"] = Ice is null ? null : (BencodeValue)Ice;
        request["transport-protocol"] = TransportProtocol is null ? null : (BencodeValue)TransportProtocol;
        request["DTLS"] = Dtls is null ? null : (BencodeValue)Dtls;
        if (ReceivedFrom is not null)
        {
            var family = ReceivedFrom.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
            request["received-from"] = BencodeValue.Texts([family, ReceivedFrom.ToString()]);
        }
    }

    private static void AddList(BencodeDictionary request, string key, IReadOnlyList<string>? items)
    {
        if (items is { Count: > 0 })
        {
            request[key] = BencodeValue.Texts(items);
        }
    }
}
