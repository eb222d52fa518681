using CallControl.Media.Ng;

namespace CallControl.Media.Selection;

/// <summary>One rtpengine as the pool sees it now.</summary>
/// <param name="Address">Its ng address.</param>
/// <param name="Weight">Its configured weight.</param>
/// <param name="Health">Up, down or not yet known.</param>
/// <param name="Sessions">Its own sessions at the last <c>statistics</c>, or null before one answered.</param>
/// <param name="Since">When <see cref="Health"/> last changed.</param>
public sealed record RtpengineStatus(NgAddress Address, int Weight, RtpengineHealth Health, long? Sessions, DateTimeOffset Since)
{
    /// <summary>Whether new calls may be anchored on it.</summary>
    public bool Choosable => Weight > 0 && Health != RtpengineHealth.Down;
}
