using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A real rtpengine of its own and the embedded node anchoring media through it (<c>CallControl:Media:Mode=anchor</c>),
/// every call routed to a sipp callee on <see cref="Callee"/>: a loopback address of its own (127.0.0.3), so an SDP
/// that still named it, or the caller's (127.0.0.2), would show.
/// </summary>
public sealed class SippMediaAnchorFixture : IAsyncLifetime
{
    public static readonly IPAddress CallerAddress = IPAddress.Parse("127.0.0.2");

    public IPEndPoint Callee { get; } = new(IPAddress.Parse("127.0.0.3"), FreePorts.Next());

    internal RtpengineProcess Engine { get; private set; } = null!;

    internal NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = await RtpengineProcess.StartAsync();
        Node = await NodeProcess.StartAsync($"sip:{Callee}", new Dictionary<string, string>
        {
            ["CallControl__Media__Mode"] = "anchor",
            ["CallControl__Media__Rtpengine__0__Address"] = Engine.Address.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }
    }
}
