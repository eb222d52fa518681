using CallControl.Sip.Headers;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>Routing settings, from configuration section <c>CallControl:Routing</c>.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Routing";

    /// <summary>
    /// Where a call goes when nothing else routes it (environment: <c>CallControl__Routing__DefaultTarget</c>).
    /// The dialled user is kept unless the target names one. The transport is the URI's ;transport, UDP when none (RFC 3263).
    /// </summary>
    public string DefaultTarget { get; set; } = "sip:127.0.0.1:5090";
}

/// <summary>Rejects a DefaultTarget that is not a routable SIP URI, naming the key.</summary>
public sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        const string key = RoutingOptions.Section + ":DefaultTarget";
        if (!SipUri.TryParse(options.DefaultTarget ?? "", out var uri) || !uri.IsSip || uri.Host.Length == 0)
        {
            return ValidateOptionsResult.Fail($"{key}: '{options.DefaultTarget}' is not a SIP URI (expected, for example, sip:127.0.0.1:5090).");
        }

        if (!Sip.Transport.SipTransportKinds.TryParse(uri.Transport, out _))
        {
            return ValidateOptionsResult.Fail($"{key}: transport '{uri.Transport}' is not one of udp, tcp, tls.");
        }

        return ValidateOptionsResult.Success;
    }
}
