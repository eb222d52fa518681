namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>Settings the end-to-end nodes and clusters share.</summary>
internal static class TestSettings
{
    /// <summary>Ring timeout 3 s and maximum duration 4 s, so the no-answer and maximum-duration outcomes are quick;
    /// every other call in the suite is answered, cancelled or hung up well before. Calls park after 1 s: the
    /// maximum-duration outcome is a parked call woken by its reminder, and a basic call (held 1.2 s) is mostly a
    /// parked call woken by its BYE; the others end before they park.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShortCallTimers = new Dictionary<string, string>
    {
        ["CallControl__Calls__RingTimeout"] = "00:00:03",
        ["CallControl__Calls__MaxDuration"] = "00:00:04",
        ["CallControl__Calls__ParkAfter"] = "00:00:01",
    };
}
