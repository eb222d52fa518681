namespace CallControl.Sip.Dns;

/// <summary>
/// The order in which a client tries a service's SRV targets (RFC 2782, "Usage rules"; RFC 3263 §4.4): by priority,
/// lowest first, and within a priority by a weighted random draw repeated over the targets not yet drawn, so each
/// target comes first in proportion to its weight and every one is tried before the next priority. Weight-0 targets
/// are drawn first into the list (as RFC 2782 says), so they come first only when the draw falls on zero. A lone "."
/// target means the service is decidedly not offered: no targets.
/// </summary>
public static class SrvOrder
{
    /// <summary><paramref name="targets"/> in the order to try them; <paramref name="random"/> for tests (default: shared).</summary>
    public static IReadOnlyList<SrvTarget> Arrange(IEnumerable<SrvTarget> targets, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        random ??= Random.Shared;
        var all = targets.ToList();
        if (all is [{ Host: "." or "" }])
        {
            return [];
        }

        var ordered = new List<SrvTarget>(all.Count);
        foreach (var priority in all.GroupBy(t => t.Priority).OrderBy(g => g.Key))
        {
            // Zero weights first, as the RFC has it; then draw by running sums until none is left.
            var left = priority.OrderBy(t => t.Weight == 0 ? 0 : 1).ToList();
            while (left.Count > 0)
            {
                var total = left.Sum(t => (long)t.Weight);
                var ticket = total == 0 ? 0 : random.NextInt64(total + 1);
                var chosen = left.FindIndex(t => (ticket -= t.Weight) <= 0);
                ordered.Add(left[chosen < 0 ? left.Count - 1 : chosen]);
                left.RemoveAt(chosen < 0 ? left.Count - 1 : chosen);
            }
        }

        return ordered;
    }
}
