using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>A bad configuration value stops start-up with a message that names the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("CallControl__Routing__DefaultTarget", "not a uri", "CallControl:Routing:DefaultTarget")]
    [InlineData("CallControl__Routing__DefaultTarget", "sip:127.0.0.1:5090;transport=carrier-pigeon", "CallControl:Routing:DefaultTarget")]
    [InlineData("CallControl__Routing__DefaultTarget", "sip:127.0.0.1:5090;transport=ws", "CallControl:Routing:DefaultTarget")] // parsed, but no edge carries it yet
    [InlineData("CallControl__Routing__DefaultTargetAuth__Password", "a-password-without-a-user", "CallControl:Routing:DefaultTargetAuth:Username")]
    [InlineData("CallControl__Routing__DefaultTargetHeaders__Allow__0", "Via", "CallControl:Routing:DefaultTargetHeaders:Allow:0")] // never crosses
    [InlineData("CallControl__Routing__DefaultTargetNumbers__0__Strip", "0x", "CallControl:Routing:DefaultTargetNumbers:0:Strip")]
    [InlineData("CallControl__Edge__Port", "70000", "CallControl:Edge:Port")]
    [InlineData("CallControl__Edge__Port", "five", "CallControl:Edge:Port")]
    [InlineData("CallControl__Edge__ListenAddress", "localhost-ish", "CallControl:Edge:ListenAddress")]
    [InlineData("CallControl__Edge__PublicHost", "not a host", "CallControl:Edge:PublicHost")]
    [InlineData("CallControl__Edge__PublicPort", "70000", "CallControl:Edge:PublicPort")]
    [InlineData("CallControl__Sip__Timers__T1", "-00:00:01", "CallControl:Sip:Timers:T1")]
    [InlineData("CallControl__Sip__Timers__T2", "00:05:00", "CallControl:Sip:Timers:T2")]
    [InlineData("CallControl__Edge__RetryAfter", "00:00:00", "CallControl:Edge:RetryAfter")]
    [InlineData("CallControl__Edge__GrainCallTimeout", "00:00:00", "CallControl:Edge:GrainCallTimeout")]
    [InlineData("CallControl__Edge__GrainCallRetries", "-1", "CallControl:Edge:GrainCallRetries")]
    [InlineData("CallControl__Edge__Transports", "udp,sctp", "CallControl:Edge:Transports")]
    [InlineData("CallControl__Edge__WebSocket__MaxMessageBytes", "100", "CallControl:Edge:WebSocket:MaxMessageBytes")]
    [InlineData("CallControl__Edge__Admission__MaxInFlight", "0", "CallControl:Edge:Admission:MaxInFlight")]
    [InlineData("CallControl__Edge__Admission__LatencyTarget", "00:00:00", "CallControl:Edge:Admission:LatencyTarget")]
    [InlineData("CallControl__Calls__ParkAfter", "00:00:00.500", "CallControl:Calls:ParkAfter")]
    [InlineData("CallControl__Cdr__JournalPath", " ", "CallControl:Cdr:JournalPath")]
    [InlineData("CallControl__Dns__Servers__0", "resolver.example", "CallControl:Dns:Servers:0")]
    [InlineData("CallControl__Cluster__Membership__ProbeTimeout", "00:00:00.100", "CallControl:Cluster:Membership:ProbeTimeout", true)]
    [InlineData("CallControl__Cluster__Membership__NumMissedProbesLimit", "0", "CallControl:Cluster:Membership:NumMissedProbesLimit", true)]
    [InlineData("CallControl__Cluster__PreviousSecrets__0", "configuration-test-secret", "CallControl:Cluster:PreviousSecrets:0", true)] // the current one
    [InlineData("CallControl__Cluster__PreviousSecrets__0", "an-old-secret", "CallControl:Cluster:PreviousSecrets")] // with no current one
    public async Task A_bad_value_stops_start_up_naming_the_key(string variable, string value, string key, bool clustered = false)
    {
        var directory = Directory.CreateTempSubdirectory("callcontrol-config-").FullName;
        try
        {
            await using var node = ChildProcess.Start("dotnet", [RepoPaths.SiloDll], directory, new Dictionary<string, string>
            {
                [variable] = value,
                ["CallControl__Silo__SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CallControl__Silo__GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CallControl__Edge__Port"] = variable == "CallControl__Edge__Port" ? value : "0",
                ["CallControl__Edge__TlsPort"] = "0",
                ["CallControl__Http__Port"] = "0",

                // Membership settings apply to a Redis-clustered silo; validation stops it before it dials Redis.
                ["CallControl__Cluster__Redis"] = clustered ? $"127.0.0.1:{FreePorts.Next()}" : "",
                ["CallControl__Cluster__Secret"] = clustered ? "configuration-test-secret" : "",
            });

            var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(2, exit);
            var error = Assert.Single(node.Output.Split('\n'), l => l.StartsWith("Configuration error:", StringComparison.Ordinal));
            Assert.Contains(key, error, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", node.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
