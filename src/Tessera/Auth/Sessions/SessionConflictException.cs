namespace Tessera;

/// <summary>
/// Another request changed the session since it was read, so this write was refused rather than lose that change.
/// <see cref="Session.UpdateAsync"/> re-reads and retries for you.
/// </summary>
public sealed class SessionConflictException()
    : MethodException(ErrorCodes.SessionConflict, "The session was changed by another request; reload it and try again.");
