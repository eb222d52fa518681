using System.Diagnostics.Metrics;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// The meter factory a host would give, for parts a test builds by hand: meters it creates are scoped to it and
/// disposed with it, as <c>AddMetrics</c>' factory does (same name, version and tags: the same meter).
/// </summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly Dictionary<(string Name, string? Version), Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_meters)
        {
            var key = (options.Name, options.Version);
            if (!_meters.TryGetValue(key, out var meter))
            {
                meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
                _meters[key] = meter;
            }

            return meter;
        }
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters.Values)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
