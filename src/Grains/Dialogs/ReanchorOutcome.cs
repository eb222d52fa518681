namespace CallControl.Grains.Dialogs;

/// <summary>How an attempt to move an established call's media off a failed rtpengine ended (tag <c>outcome</c> of <c>callcontrol.media.reanchors</c>).</summary>
public enum ReanchorOutcome
{
    /// <summary>Another rtpengine took the call (its offers and answers went through): <c>succeeded</c>.</summary>
    Succeeded,

    /// <summary>Another rtpengine was chosen but a command of the move failed: <c>failed</c>.</summary>
    Failed,

    /// <summary>No other rtpengine could take the call (all down, drained or excluded): <c>no_rtpengine</c>.</summary>
    NoRtpengine,
}
