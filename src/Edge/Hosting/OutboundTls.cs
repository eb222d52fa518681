using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Hosting;

/// <summary>
/// How the edge judges the servers it connects to over TLS (carriers, peers): the certificate must chain to a trusted
/// root (the system store, or <see cref="EdgeTlsOptions.TrustedCertificatesPath"/> alone) and name the host the route
/// or Request-URI named (the transport sends that name as SNI and SslStream checks it). Anything else is refused,
/// unless <see cref="EdgeTlsOptions.AllowUntrustedServers"/> says to accept it anyway (tests and labs).
/// </summary>
internal sealed partial class OutboundTls
{
    private readonly bool _allowUntrusted;
    private readonly ILogger _logger;

    private OutboundTls(bool allowUntrusted, ILogger logger) => (_allowUntrusted, _logger) = (allowUntrusted, logger);

    /// <summary>The transport's TLS settings: our certificate, the trust roots and the verdict on a server's certificate.</summary>
    public static TlsSettings Settings(X509Certificate2 ours, EdgeTlsOptions options, ILogger logger)
    {
        if (options.AllowUntrustedServers)
        {
            Log.UnsafeSetting(logger, EdgeOptions.Section + ":Tls:AllowUntrustedServers");
        }

        var roots = options.TrustedCertificatesPath is { Length: > 0 } path ? EdgeTrustStore.Load(path) : null;
        return new TlsSettings(ours, new OutboundTls(options.AllowUntrustedServers, logger).ValidateServer, roots);
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var host = (sender as SslStream)?.TargetHostName ?? "";
        var chainStatus = chain is null ? "" : string.Join(',', chain.ChainStatus.Select(s => s.Status).Distinct());
        Log.UntrustedServer(_logger, host, certificate?.Subject ?? "none", errors, chainStatus, _allowUntrusted);
        return _allowUntrusted;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Outbound TLS to {Host}: server certificate '{Subject}' not trusted ({Errors}; chain: {ChainStatus}); accepted: {Accepted}")]
        public static partial void UntrustedServer(ILogger logger, string host, string subject, SslPolicyErrors errors, string chainStatus, bool accepted);

        [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "{Key} is true: outbound TLS accepts any server certificate, whoever it names (unsafe outside tests and labs)")]
        public static partial void UnsafeSetting(ILogger logger, string key);
    }
}
