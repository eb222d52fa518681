using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CallControl.Edge.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>The keep-alives' measurements (meter <c>CallControl.Calls</c>, instruments <c>callcontrol.nat.*</c>) of one meter factory, to be awaited.</summary>
internal sealed class NatMeterRecorder : IDisposable
{
    private readonly ServiceProvider _host = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly Channel<(string Instrument, string? Tag, long Value)> _measurements = Channel.CreateUnbounded<(string, string?, long)>();

    public NatMeterRecorder()
    {
        var factory = MeterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == EdgeMetrics.MeterName && instrument.Name.StartsWith("callcontrol.nat.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IMeterFactory MeterFactory => _host.GetRequiredService<IMeterFactory>();

    /// <summary>Waits for a measurement of <paramref name="instrument"/> tagged <paramref name="tag"/>; returns its value.</summary>
    public async Task<long> NextAsync(string instrument, string tag)
    {
        while (true)
        {
            var m = await _measurements.Reader.ReadAsync().AsTask().WaitAsync(Routing.RouterHarness.Patience);
            if (m.Instrument == instrument && m.Tag == tag && m.Value > 0)
            {
                return m.Value;
            }
        }
    }

    /// <summary>The gauge of flows kept now.</summary>
    public long Flows()
    {
        _listener.RecordObservableInstruments();
        while (_measurements.Reader.TryRead(out var m))
        {
            if (m.Instrument == "callcontrol.nat.flows")
            {
                return m.Value;
            }
        }

        throw new InvalidOperationException("callcontrol.nat.flows was not measured");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        => _measurements.Writer.TryWrite((instrument.Name, tags.Length > 0 ? tags[0].Value as string : null, value));
}
