namespace CallControl.Grains;

/// <summary>Names of the grain storage providers the silo must register.</summary>
public static class GrainStorage
{
    /// <summary>Dialog (call) state.</summary>
    public const string Dialogs = "dialogs";
}
