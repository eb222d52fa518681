namespace CallControl.Media.Selection;

/// <summary>What the pool knows of an rtpengine's health.</summary>
public enum RtpengineHealth
{
    /// <summary>Not probed yet: chosen like a healthy one, so a fresh process takes calls before its first ping returns.</summary>
    Unknown,

    /// <summary>Answered its last ping (or command).</summary>
    Up,

    /// <summary>Its last ping (or a call's command) went unanswered after every attempt: out of the choice until it answers.</summary>
    Down,
}
