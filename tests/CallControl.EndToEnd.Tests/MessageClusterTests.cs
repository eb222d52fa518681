using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Out-of-dialog MESSAGE on the local cluster (one silo, two edges): the recipient registered over TCP through edge 1,
/// the sender (sipp) sends through edge 2, which asks the relay grain where the message goes and has it sent over the
/// phone's own connection by edge 1 (<c>IMessageRelayGrain.RelayThrough</c>); the phone's 200 comes back to the sender.
/// </summary>
public sealed class MessageClusterTests(ITestOutputHelper output) : IDisposable
{
    private const string Password = "a-message-across-edges";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-message-cluster-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task A_MESSAGE_sent_through_edge_2_reaches_a_phone_registered_over_tcp_through_edge_1_and_its_200_comes_back()
    {
        await using var cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{FreePorts.Next()}", silos: 1, edges: 2);
        try
        {
            await cluster.AddSubscriberAsync("frank", Password);
            var phone = new FlowPhone("frank", Password, tls: false);
            await using var flow = await StreamPeer.ConnectAsync(cluster.BalancedEdgePort(1), tls: false);
            Assert.Equal(200, (await phone.RegisterAsync(flow, flow.LocalPort)).StatusCode);

            var sender = Sipp.RunCallerAsync("message-uac.xml", "udp", cluster.BalancedEdgePort(2), calls: 1, rate: 1, "message-cluster-", _work, "-s", "frank");
            var message = await flow.ReceiveMessageAsync();
            Assert.Equal(SipMethod.Message, message.Method);
            Assert.Equal(phone.ContactUri(flow.LocalPort), message.RequestUri);
            Assert.Equal("Hello, registered phone", Encoding.UTF8.GetString(message.Body.Span).TrimEnd());
            Assert.Contains($"127.0.0.1:{cluster.BalancedEdgePort(1)}", message.GetHeader(HeaderId.Via), StringComparison.Ordinal); // sent by edge 1
            Assert.DoesNotContain("message-cluster-", message.CallId, StringComparison.Ordinal); // our own Call-ID, not the sender's

            await flow.SendAsync(SipResponses.Create(message, 200, "Read by the phone", "frank-phone").Body("seen"u8.ToArray(), "text/plain").ToArray());
            var (exit, sipp) = await sender; // its scenario checks the reason phrase and the body the phone sent
            Assert.True(exit == 0, sipp);
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            throw;
        }
    }
}
