using System.Security.Cryptography;
using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Sip.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Silo;

/// <summary>
/// The cluster secret (<c>CallControl:Cluster:Secret</c>) that keys the callee-leg Call-ID codec and the digest
/// nonces, with the secrets it replaced (<c>CallControl:Cluster:PreviousSecrets</c>), still accepted by both. The
/// embedded default makes a random one per process when none is configured: with in-memory state nothing outlives
/// the process anyway. A cluster must configure one shared value.
/// </summary>
public static partial class ClusterSecret
{
    /// <summary>The configuration key.</summary>
    public const string Key = "CallControl:Cluster:Secret";

    /// <summary>
    /// Registers the <see cref="CallIdCodec"/> and the digest nonce keys, all derived from the configured (or a
    /// random) secret and the previous ones, so that every edge and silo of a cluster agrees on Call-IDs and nonces.
    /// </summary>
    public static IServiceCollection AddClusterSecret(this IServiceCollection services, IConfiguration configuration, bool required)
    {
        var configured = configuration[Key];
        if (string.IsNullOrEmpty(configured) && required)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(Key, typeof(string), [$"{Key} must be set in a cluster: every silo and edge needs the same secret."]);
        }

        var secret = string.IsNullOrEmpty(configured) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) : configured;
        var previous = ClusterSecretOptions.PreviousFrom(configuration);
        services.AddClusterSecretOptions(configuration);
        services.AddDigestAuthOptions(configuration); // CallControl:Sip:Auth (the algorithms), then the nonce keys over it
        services.AddDigestNonceKeys(secret, previous);
        return services.AddSingleton(sp =>
        {
            if (string.IsNullOrEmpty(configured))
            {
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("CallControl.Silo");
                Log.RandomSecret(logger, Key);
            }

            return new CallIdCodec(secret, previous); // resolved after the options were validated: no empty previous secret
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "No {Key} configured: using a random secret for this process (fine for the embedded default, not for a cluster)")]
        public static partial void RandomSecret(ILogger logger, string key);
    }
}
