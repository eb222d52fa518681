using CallControl.Grains.Persistence;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CallControl.Grains.Registrar;

/// <summary>
/// The registrar for one address of record (RFC 3261 §10.3): authenticates each REGISTER by digest (RFC 7616,
/// src/Sip/Auth) against the subscriber's stored HA1, then adds, refreshes and removes bindings.
/// </summary>
/// <remarks>
/// Bindings are saved write-behind, as a call's state is (<see cref="WriteBehind"/>, docs/architecture.md, "Store
/// outages"): with PostgreSQL down the REGISTER still gets its 200, the bindings live in this activation's memory, and
/// a grain timer writes them, whatever they are by then, once the store takes writes again (or at deactivation). The
/// write is the whole state under its ETag, so a retry stores the same bindings once. The subscriber's credentials are
/// read afresh for every REGISTER; while the subscriber store cannot be read (the same outage) the ones this
/// activation read last are used, so a phone that registered before the outage can refresh or move its binding.
/// </remarks>
[GrainType("cc-registrar")]
public sealed partial class RegistrarGrain(
    [PersistentState("registration", GrainStorage.Dialogs)] IPersistentState<RegistrationState> store,
    ISubscriberStore subscribers,
    DigestChallenger challenger,
    DigestVerifier verifier,
    IOptions<RegistrarOptions> options,
    TimeProvider time,
    ILogger<RegistrarGrain> logger) : Grain, IRegistrarGrain
{
    private WriteBehind? _persist;
    private SubscriberCredentials? _lastRead;

    /// <summary>Where the bindings are saved: the store now, or the retry timer while it is down.</summary>
    private WriteBehind Persist => _persist ??= new WriteBehind(
        this,
        store.WriteStateAsync,
        store.ClearStateAsync,
        cleaned: static () => { }, // nothing waits for the store: the activation lives on as any other
        conflicted: DeactivateOnIdle, // another activation wrote the row: re-read it rather than overwrite it
        logger,
        $"Registrar {this.GetPrimaryKeyString()}");

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The refreshes since the last write were not stored: until the phone's next REGISTER, its binding lives as
        // long as the stored copy says (RegistrarOptions.StoredExpiryAhead).
        var bindings = store.State.Bindings;
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].StoredUntil > bindings[i].ExpiresAt)
            {
                bindings[i] = bindings[i] with { ExpiresAt = bindings[i].StoredUntil };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _persist?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public async Task<SipCommand[]> OnRegister(SipInbound request)
    {
        var register = SipParser.ParseTrusted(request.Message);
        var aor = register.To.Uri;
        var realm = aor.Host.ToLowerInvariant();
        if (!register.TryGetCredentials(HeaderId.Authorization, realm, out var credentials))
        {
            return [Challenge(register, request, stale: false)];
        }

        var subscriber = await FindSubscriberAsync(credentials.Username, realm);
        var algorithm = credentials.TryGetAlgorithm(out var named) ? named : DigestAlgorithm.Md5;
        var ha1 = subscriber is null ? null : algorithm.UsesMd5() ? subscriber.Ha1Md5 : subscriber.Ha1Sha256;
        var verdict = ha1 is null ? DigestVerdict.Wrong : verifier.Verify("REGISTER", credentials, realm, ha1);
        switch (verdict)
        {
            case DigestVerdict.Stale:
                return [Challenge(register, request, stale: true)];
            case DigestVerdict.Invalid:
                return [Challenge(register, request, stale: false)];
            case DigestVerdict.Wrong:
                return [Reply(register, request, 403)];
            default:
                break;
        }

        if (!string.Equals(credentials.Username, aor.User, StringComparison.Ordinal))
        {
            return [Reply(register, request, 403, "Forbidden - Not Your Address Of Record")];
        }

        return [await UpdateBindingsAsync(register, request)];
    }

    /// <inheritdoc />
    public Task<RegistrarBinding[]> GetBindings() => Task.FromResult(Live().Where(b => !b.Unreachable).OrderByDescending(b => b.ExpiresAt).ToArray());

    /// <inheritdoc />
    public async Task FlowFailed(SipPeer flow)
    {
        var bindings = store.State.Bindings;
        var changed = false;
        for (var i = 0; i < bindings.Count; i++)
        {
            if (!bindings[i].Unreachable && bindings[i].Source == flow)
            {
                bindings[i] = bindings[i] with { Unreachable = true };
                changed = true;
            }
        }

        if (changed)
        {
            await Persist.SaveAsync(CancellationToken.None);
        }
    }

    private async Task<SipCommand> UpdateBindingsAsync(SipMessage register, SipInbound request)
    {
        var outcome = RegistrationRules.Apply(store.State.Bindings, register, request.Source, request.Edge, time.GetUtcNow(), options.Value);
        if (outcome.Bindings is { } bindings)
        {
            store.State.Bindings = bindings;
            if (outcome.Store)
            {
                await Persist.SaveAsync(CancellationToken.None); // false: the store is down, the timer writes the bindings later
            }
        }

        return Reply(register, request, outcome.Status, outcome.Reason, outcome.Headers);
    }

    /// <summary>The subscriber as the store has it; during a store outage, as this activation last read it (if it did).</summary>
    private async Task<SubscriberCredentials?> FindSubscriberAsync(string username, string realm)
    {
        try
        {
            return _lastRead = await subscribers.FindAsync(username, realm, CancellationToken.None);
        }
        catch (Exception e) when (StoreFailures.IsTransient(e) && _lastRead is { } known && known.Username == username && known.Realm == realm)
        {
            Log.LastReadCredentials(logger, this.GetPrimaryKeyString(), e.GetBaseException().Message);
            return known;
        }
    }

    private IEnumerable<RegistrarBinding> Live() => store.State.Bindings.Where(b => b.ExpiresAt > time.GetUtcNow());

    private SipCommand Challenge(SipMessage register, SipInbound request, bool stale)
    {
        var realm = register.To.Uri.Host.ToLowerInvariant();
        var challenges = challenger.CreateHeaderValues(realm, stale).Select(v => (HeaderId.WwwAuthenticate, v)).ToArray();
        return Reply(register, request, 401, null, challenges);
    }

    private static SipCommand Reply(SipMessage register, SipInbound request, int status, string? reason = null, params (HeaderId Id, string Value)[] headers)
    {
        var builder = SipResponses.Create(register, status, reason, toTag: RegistrarTag);
        foreach (var (id, value) in headers)
        {
            builder.Add(id, value);
        }

        return new SipCommand(SipCommandKind.Respond, builder.ToArray(), request.Source);
    }

    // A registrar's To tag; any stable value does (RFC 3261 §10.3 step 8 asks for none in particular).
    private const string RegistrarTag = "registrar";

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Registrar {Aor}: the subscriber store is unavailable ({Reason}); checking the REGISTER against the credentials read last")]
        public static partial void LastReadCredentials(ILogger logger, string aor, string reason);
    }
}
