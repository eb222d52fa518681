using System.Net;

namespace CallControl.Edge.WebSockets;

/// <summary>
/// Counts open connections per source address and in all, against a limit for each: the WebSocket ports' own limits,
/// which hold for every source, trusted ones included (the border's per-source limit spares trusted networks). A
/// source's entry goes with its last connection, so the table holds at most as many sources as connections.
/// </summary>
internal sealed class ConnectionCounter(int maxTotal, int maxPerSource)
{
    private readonly Dictionary<IPAddress, int> _bySource = [];
    private int _total;

    /// <summary>Open connections in all.</summary>
    public int Total
    {
        get
        {
            lock (_bySource)
            {
                return _total;
            }
        }
    }

    /// <summary>Counts a new connection from <paramref name="source"/>, or says which limit refuses it.</summary>
    public ConnectionAdmission TryAdd(IPAddress source)
    {
        lock (_bySource)
        {
            if (_total >= maxTotal)
            {
                return ConnectionAdmission.TotalLimit;
            }

            _bySource.TryGetValue(source, out var count);
            if (count >= maxPerSource)
            {
                return ConnectionAdmission.SourceLimit;
            }

            _bySource[source] = count + 1;
            _total++;
            return ConnectionAdmission.Admitted;
        }
    }

    /// <summary>A connection <see cref="TryAdd"/> admitted has closed.</summary>
    public void Remove(IPAddress source)
    {
        lock (_bySource)
        {
            if (!_bySource.TryGetValue(source, out var count))
            {
                return;
            }

            _total--;
            if (count <= 1)
            {
                _bySource.Remove(source);
            }
            else
            {
                _bySource[source] = count - 1;
            }
        }
    }
}

/// <summary>What <see cref="ConnectionCounter.TryAdd"/> decided.</summary>
internal enum ConnectionAdmission
{
    Admitted,
    TotalLimit,
    SourceLimit,
}
