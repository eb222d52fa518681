using System.Globalization;
using System.Net;
using CallControl.FaultProbe;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Storage;

// The fault suite's probe (scripts/faults, docs/reliability.md): what its shell cannot check by itself.
//   probe register --registrar PORT --aor sip:USER@HOST --password P --contact URI   exit 0: the REGISTER got 200
//   probe binding-stored --aor sip:USER@HOST --contact URI [--service-id ID]           exit 0: PostgreSQL holds the binding
//   probe media-calls --edge PORT --callee-port PORT --dialled NUMBER --calls N --hold SECONDS --ready FILE [--gap-target SECONDS]
//                                          exit 0: no call dropped, and every moved call's media came back within the target
// The database is CallControl__Storage__ConnectionString. Exit codes: 0 yes, 1 no, 2 usage.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var options = args.Skip(1).Chunk(2).Where(pair => pair.Length == 2 && pair[0].StartsWith("--", StringComparison.Ordinal)).ToDictionary(pair => pair[0][2..], pair => pair[1]);
string Required(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"probe {args[0]}: --{name} is required");
try
{
    switch (args.FirstOrDefault())
    {
        case "register":
            var registrar = new IPEndPoint(IPAddress.Loopback, Port(Required("registrar")));
            var status = await new PhoneRegistration(registrar, Required("aor"), Required("password")).RegisterAsync(Required("contact"), TimeSpan.FromMinutes(10), stop.Token);
            Console.WriteLine($"REGISTER {Required("contact")}: {status}");
            return status == 200 ? 0 : 1;
        case "binding-stored":
            var connection = Environment.GetEnvironmentVariable("CallControl__Storage__ConnectionString") ?? throw new ArgumentException("probe: CallControl__Storage__ConnectionString is not set");
            await using (var dataSource = PostgresDataSource.Create(connection))
            {
                var aor = AddressOfRecord.Key(SipUri.Parse(Required("aor")));
                var stored = await new StoredRegistrations(dataSource, options.GetValueOrDefault("service-id", "callcontrol")).ReadAsync(aor, stop.Token);
                Console.WriteLine($"{aor}: stored {string.Join(", ", stored.Select(b => b.Contact))}");
                return BindingCheck.Holds(stored, Required("contact"), DateTimeOffset.UtcNow) ? 0 : 1;
            }

        case "media-calls":
            var calls = new CallControl.FaultProbe.Media.MediaCalls(
                new IPEndPoint(IPAddress.Loopback, Port(Required("edge"))), Port(Required("callee-port")), Required("dialled"));
            var report = await calls.RunAsync(int.Parse(Required("calls"), CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(Required("hold"), CultureInfo.InvariantCulture)), Required("ready"), stop.Token);
            Console.WriteLine(report);
            var target = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("gap-target", "2"), CultureInfo.InvariantCulture));
            return report.Dropped == 0 && report.GapMax <= target ? 0 : 1;

        default:
            throw new ArgumentException("usage: probe register --registrar PORT --aor URI --password P --contact URI | probe binding-stored --aor URI --contact URI [--service-id ID]");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or OperationCanceledException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Port(string text) => int.Parse(text, CultureInfo.InvariantCulture);
