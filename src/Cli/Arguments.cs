namespace CallControl.Cli;

/// <summary>Positional words and --name value options, read once.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public Arguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{args[i]} needs a value.");
                }

                _options[args[i][2..]] = args[++i];
            }
            else
            {
                Words.Add(args[i]);
            }
        }
    }

    public List<string> Words { get; } = [];

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public string Required(string name) => Option(name) ?? throw new UsageException($"--{name} is required.");

    public int Int(string name, int fallback)
        => Option(name) is { } text ? int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new UsageException($"--{name} must be a positive number.") : fallback;
}

/// <summary>The command line was wrong: say how, exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException() : this("usage")
    {
    }

    public UsageException(string message, Exception inner) : this(message + " " + inner.Message)
    {
    }
}
