using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Media.Tests.Integration;

/// <summary>One real rtpengine and one ng client shared by the tests of <see cref="RtpengineCollection"/>.</summary>
public sealed class RtpengineFixture : IAsyncLifetime
{
    private RtpengineProcess? _engine;

    internal RtpengineProcess Engine => _engine ?? throw new InvalidOperationException("not started");

    public NgClient Client { get; } = new(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);

    public async Task InitializeAsync() => _engine = await RtpengineProcess.StartAsync();

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RtpengineCollection : ICollectionFixture<RtpengineFixture>
{
    public const string Name = "rtpengine";
}
