namespace CallControl.Grains.Registrar;

/// <summary>An AOR's persisted bindings. Ids are append only.</summary>
[GenerateSerializer, Alias("cc.registration-state")]
public sealed class RegistrationState
{
    [Id(0)] public int SchemaVersion { get; set; } = 1;

    [Id(1)] public List<RegistrarBinding> Bindings { get; set; } = [];
}
