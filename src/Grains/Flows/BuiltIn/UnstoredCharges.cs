namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// The charges an account's activation has taken in memory since its state was last stored. When a write finds the
/// row moved on (most often: an earlier write of ours landed though its answer was lost in an outage), the account
/// re-reads the row and takes again only those charges the stored row does not list: each at most once.
/// </summary>
internal sealed class UnstoredCharges
{
    private readonly List<(string CallId, long Seconds)> _charges = [];

    /// <summary>How many charges wait for the store.</summary>
    public int Count => _charges.Count;

    /// <summary>A charge taken in memory.</summary>
    public void Add(string callId, long seconds) => _charges.Add((callId, seconds));

    /// <summary>Everything taken is in the store now.</summary>
    public void Clear() => _charges.Clear();

    /// <summary>Takes, on a state just read from the store, every waiting charge it has not taken yet; returns how many.</summary>
    public int ReplayOnto(PrepaidAccountState stored, int remembered)
    {
        var taken = 0;
        foreach (var (callId, seconds) in _charges)
        {
            if (stored.Charge(callId, seconds, remembered))
            {
                taken++;
            }
        }

        return taken;
    }
}
