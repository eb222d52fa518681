using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>
/// The measurements of meter <c>CallControl.Media</c> made from one meter factory of its own (so tests running side by
/// side do not see each other's). Also compiled into CallControl.Grains.Tests.
/// </summary>
internal sealed class MediaMeterRecorder : IDisposable
{
    private readonly ServiceProvider _host = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measured> _measured = new();

    public MediaMeterRecorder()
    {
        var factory = MeterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == RtpengineMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IMeterFactory MeterFactory => _host.GetRequiredService<IMeterFactory>();

    /// <summary>Every measurement of <paramref name="instrument"/> so far, in order.</summary>
    public IReadOnlyList<Measured> Of(string instrument) => _measured.Where(m => m.Instrument == instrument).ToList();

    /// <summary>Collects the observable instruments now, and returns what <paramref name="instrument"/> observed.</summary>
    public IReadOnlyList<Measured> Observe(string instrument)
    {
        _measured.Clear();
        _listener.RecordObservableInstruments();
        return Of(instrument);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var named = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            named[tag.Key] = tag.Value?.ToString();
        }

        _measured.Enqueue(new(instrument.Name, value, named));
    }

    /// <summary>One measurement: its instrument, value and tags.</summary>
    internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
    {
        public string? Tag(string name) => Tags.GetValueOrDefault(name);
    }
}
