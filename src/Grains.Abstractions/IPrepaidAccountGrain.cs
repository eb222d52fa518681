namespace CallControl.Grains;

/// <summary>
/// A prepaid account's balance in seconds of talk time, as the <c>prepaid</c> call flow reads and charges it.
/// Keyed by the account (by default the caller's number). Charges are idempotent per call: a call charged again
/// (the flow told of its end twice, after a silo failure) changes nothing.
/// </summary>
[Alias("cc.prepaid-account")]
public interface IPrepaidAccountGrain : IGrainWithStringKey
{
    /// <summary>The seconds left (below zero when the last call ran over by its rounding).</summary>
    [Alias("balance")]
    Task<long> GetBalanceSeconds();

    /// <summary>
    /// The balance, after giving a new account its opening credit of <paramref name="openingSeconds"/> (a trial or
    /// welcome balance) the first time it is opened; an account opened before keeps what it has.
    /// </summary>
    [Alias("open")]
    Task<long> Open(long openingSeconds);

    /// <summary>Adds <paramref name="seconds"/> (more than zero) and returns the new balance.</summary>
    [Alias("credit")]
    Task<long> Credit(long seconds);

    /// <summary>
    /// Takes <paramref name="seconds"/> (zero or more) for call <paramref name="callId"/> and returns the new balance;
    /// a call already charged is not charged again.
    /// </summary>
    [Alias("charge")]
    Task<long> Charge(string callId, long seconds);
}
