using CallControl.Grains;

namespace CallControl.FaultProbe;

/// <summary>Whether the database holds a contact among an AOR's bindings, unexpired.</summary>
public static class BindingCheck
{
    /// <summary>True when <paramref name="stored"/> binds <paramref name="contact"/> past <paramref name="now"/>.</summary>
    public static bool Holds(IReadOnlyList<RegistrarBinding> stored, string contact, DateTimeOffset now)
        => stored.Any(b => string.Equals(b.Contact, contact, StringComparison.Ordinal) && b.ExpiresAt > now);
}
