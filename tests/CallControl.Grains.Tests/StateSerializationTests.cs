using CallControl.Calls;
using CallControl.Grains.Dialogs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CallControl.Grains.Tests;

/// <summary>
/// The dialog state reads back as it was written through both grain storage serializers: Orleans' binary one
/// (PostgreSQL's) and the JSON one (memory storage, the embedded default), which leaves out default values.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StateSerializationTests(ClusterFixture cluster)
{
    public static TheoryData<int> AnsweredLegs => [-1, 0, 1];

    [Theory]
    [MemberData(nameof(AnsweredLegs))]
    public void The_answered_leg_cseqs_and_media_profiles_read_back_as_written_through_either_storage_serializer(int answered)
    {
        var services = ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services;
        var state = new DialogState { AnsweredLeg = answered, MediaCallee = Routing.MediaProfile.Srtp, MediaCaller = Routing.MediaProfile.WebRtc };
        state.Legs.Add(new CalleeLeg { Number = 0, LocalCSeq = 1 });
        state.Legs.Add(new CalleeLeg { Number = 1, LocalCSeq = 2 });

        foreach (IGrainStorageSerializer serializer in (IGrainStorageSerializer[])[
            services.GetRequiredService<IGrainStorageSerializer>(),
            new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>())])
        {
            var copy = serializer.Deserialize<DialogState>(serializer.Serialize(state))!;

            Assert.Equal(answered, copy.AnsweredLeg);
            Assert.Equal([1u, 2u], copy.Legs.Select(l => l!.LocalCSeq));
            Assert.Equal((Routing.MediaProfile.Srtp, Routing.MediaProfile.WebRtc), (copy.MediaCallee, copy.MediaCaller));
        }
    }

    [Fact]
    public void A_routes_policy_reads_back_as_written_through_either_storage_serializer()
    {
        // docs/interop.md, "Header policy and number normalisation": a call reactivated on another silo (or parked) applies
        // the policy it was routed with, so the policy must survive the binary (PostgreSQL) and JSON (memory) storage.
        var services = ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services;
        var policy = new Routing.RoutePolicy
        {
            Headers = new Routing.HeaderPolicy { Allow = ["P-Charging-Vector"], Deny = ["X-Internal-*"] },
            Rewrite = new Routing.IdentityRewrite { FromUser = "01632960001", PAssertedIdentity = "from", Privacy = "id" },
            Numbers = [new Routing.NumberRule("0", "+44"), new Routing.NumberRule("00", "+")],
        };

        foreach (IGrainStorageSerializer serializer in (IGrainStorageSerializer[])[
            services.GetRequiredService<IGrainStorageSerializer>(),
            new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>())])
        {
            Assert.Equal(policy, serializer.Deserialize<DialogState>(serializer.Serialize(new DialogState { Policy = policy }))!.Policy);
            Assert.Null(serializer.Deserialize<DialogState>(serializer.Serialize(new DialogState()))!.Policy);
        }
    }
}
