using System.Security.Cryptography;
using CallControl.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Silo;

/// <summary>
/// The cluster secret (<c>CallControl:Cluster:Secret</c>) that keys the callee-leg Call-ID codec. The embedded
/// default makes a random one per process when none is configured: with in-memory state nothing outlives the
/// process anyway. A cluster must configure one shared value.
/// </summary>
public static partial class ClusterSecret
{
    /// <summary>The configuration key.</summary>
    public const string Key = "CallControl:Cluster:Secret";

    /// <summary>Registers the <see cref="CallIdCodec"/> keyed by the configured (or a random) secret.</summary>
    public static IServiceCollection AddClusterSecret(this IServiceCollection services, IConfiguration configuration, bool required)
        => services.AddSingleton(sp =>
        {
            var secret = configuration[Key];
            if (string.IsNullOrEmpty(secret) && required)
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(Key, typeof(string), [$"{Key} must be set in a cluster: every silo and edge needs the same secret."]);
            }

            if (string.IsNullOrEmpty(secret))
            {
                secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("CallControl.Silo");
                Log.RandomSecret(logger, Key);
            }

            return new CallIdCodec(secret);
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "No {Key} configured: using a random secret for this process (fine for the embedded default, not for a cluster)")]
        public static partial void RandomSecret(ILogger logger, string key);
    }
}
