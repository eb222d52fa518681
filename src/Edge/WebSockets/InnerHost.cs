using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.WebSockets;

/// <summary>
/// What the WebSocket transport's own Kestrel host needs to live inside the edge's process without acting as a second
/// application: its logs go to the edge's logger factory (so they obey the edge's filters and sinks), and it neither
/// listens for SIGTERM nor prints "Now listening on" (the edge drains and stops it; the edge logs its port as event 4201).
/// </summary>
internal static class InnerHost
{
    /// <summary>Categories of the inner host's own lifecycle messages, which would read as the node's HTTP endpoint.</summary>
    public const string LifetimeCategory = "Microsoft.Hosting.Lifetime";

    /// <summary>Hands every logger to the edge's factory.</summary>
    public sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        public void Dispose()
        {
            // The edge's factory is the edge's to dispose.
        }
    }

    /// <summary>No console lifetime: SIGTERM and Ctrl+C belong to the edge's host, which stops this one.</summary>
    public sealed class SilentLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
