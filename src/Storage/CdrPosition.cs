using System.Globalization;

namespace CallControl.Storage;

/// <summary>
/// A place in the CDR log: the writing transaction's id and the row id. The log is read in this order,
/// and only below the oldest transaction still running, so no row can later appear behind a reader.
/// </summary>
public readonly record struct CdrPosition(ulong TransactionId, long Id) : IComparable<CdrPosition>
{
    /// <summary>Before the first record.</summary>
    public static CdrPosition Start => default;

    /// <inheritdoc />
    public int CompareTo(CdrPosition other)
        => TransactionId != other.TransactionId ? TransactionId.CompareTo(other.TransactionId) : Id.CompareTo(other.Id);

    public static bool operator <(CdrPosition left, CdrPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(CdrPosition left, CdrPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(CdrPosition left, CdrPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(CdrPosition left, CdrPosition right) => left.CompareTo(right) >= 0;

    /// <summary>The xid8 as PostgreSQL writes it.</summary>
    public string TransactionText => TransactionId.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"{TransactionId}:{Id}";
}
