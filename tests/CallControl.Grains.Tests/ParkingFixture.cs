namespace CallControl.Grains.Tests;

/// <summary>
/// A cluster of its own whose confirmed calls park after 1 s without a message; their maximum duration is 6 s, long
/// enough for a test to reach a parked call before its hang-up, short enough to wait for that hang-up.
/// </summary>
public sealed class ParkingFixture() : ClusterFixture(new Dictionary<string, string>
{
    ["RingTimeout"] = "00:00:03",
    ["MaxDuration"] = "00:00:06",
    ["ParkAfter"] = "00:00:01",
});

[CollectionDefinition(Name)]
public sealed class ParkingCollection : ICollectionFixture<ParkingFixture>
{
    public const string Name = "parking";
}
