using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Bson;

namespace Tessera;

/// <summary>Adds BSON bodies to the Toto endpoint.</summary>
public static class TesseraBsonExtensions
{
    /// <summary>
    /// Lets Toto clients send <c>application/bson</c> bodies and receive BSON answers (chosen by Content-Type, or by
    /// Accept). Idempotent.
    /// </summary>
    public static ITesseraBuilder AddBson(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IBodyFormat, BsonBodyFormat>());
        return builder;
    }
}
