using CallControl.Grains;

namespace CallControl.Examples.CustomFlow;

/// <summary>A user's do-not-disturb switch: a grain of the developer's own, kept in the cluster's grain storage.</summary>
[Alias("example.dnd")]
public interface IDoNotDisturbGrain : IGrainWithStringKey
{
    [Alias("is-on")]
    Task<bool> IsOn();

    [Alias("set")]
    Task Set(bool on);
}

/// <summary>Keeps the switch in the same storage as the calls (<see cref="GrainStorage.Dialogs"/>).</summary>
public sealed class DoNotDisturbGrain([PersistentState("dnd", GrainStorage.Dialogs)] IPersistentState<DoNotDisturbState> state) : Grain, IDoNotDisturbGrain
{
    public Task<bool> IsOn() => Task.FromResult(state.State.On);

    public async Task Set(bool on)
    {
        state.State.On = on;
        await state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("example.dnd.state")]
public sealed class DoNotDisturbState
{
    [Id(0)] public bool On { get; set; }
}
