using CallControl.Sip.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Tests.Routing;

/// <summary>The RFC 3263 locator as a node runs it by default (the system's DNS and /etc/hosts), for tests that send to addresses or to localhost.</summary>
internal static class SystemLocator
{
    public static ISipLocator Instance { get; } = new DnsSipLocator(Options.Create(new DnsOptions()), NullLogger<DnsSipLocator>.Instance);
}
