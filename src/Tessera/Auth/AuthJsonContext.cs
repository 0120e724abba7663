using System.Text.Json.Serialization;
using Tessera.Auth.Accounts;
using Tessera.Auth.Sessions;
using Tessera.Auth.Tokens;

namespace Tessera.Auth;

/// <summary>
/// Build-time serializer metadata for what the account, two-factor and token methods answer, and for the stateless
/// session's payload. Registered with the service's own contexts (<c>JsonTypes</c>), so results are written with the
/// service's naming; reflection could not describe these records under Native AOT (their value-type members need
/// converters made at run time).
/// </summary>
[JsonSerializable(typeof(LoginResult))]
[JsonSerializable(typeof(LogoutResult))]
[JsonSerializable(typeof(MailRequested))]
[JsonSerializable(typeof(PasswordReset))]
[JsonSerializable(typeof(Verified))]
[JsonSerializable(typeof(TotpSetup))]
[JsonSerializable(typeof(TotpEnabled))]
[JsonSerializable(typeof(TokenPair))]
[JsonSerializable(typeof(StatelessSessionCodec.Payload))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;
