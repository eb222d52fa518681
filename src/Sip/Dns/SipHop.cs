using System.Net;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Dns;

/// <summary>
/// One server a request for a URI can be sent to (RFC 3263 §4): a transport, an address and a port, with the name the
/// address was found under (the SRV target, or the URI's host), which outbound TLS checks the server's certificate
/// against. A URI's hops come in the order to try them.
/// </summary>
public sealed record SipHop(SipTransportKind Transport, IPAddress Address, int Port, string? Name);
