using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace CallControl.Grains.Tests;

/// <summary>The call metrics come from the silo's own <see cref="IMeterFactory"/> (no static meter): a call counts there.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CallMetricsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_call_attempt_is_counted_in_the_meter_of_the_silos_meter_factory()
    {
        var factory = ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IMeterFactory>();
        long attempts = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "callcontrol.call.attempts")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref attempts, value));
        listener.Start();

        await new CallScript(cluster.Grains, $"metrics-{Guid.NewGuid():N}@127.0.0.1").InviteAsync();

        Assert.True(Interlocked.Read(ref attempts) >= 1);
    }
}
