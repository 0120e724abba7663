namespace Tessera.Dispatch.Binding;

/// <summary>Where a method parameter's value comes from.</summary>
internal enum ParameterSource
{
    /// <summary>The request's parameters, by name or position.</summary>
    Wire,

    /// <summary>The <see cref="Tessera.MethodContext"/> of the call.</summary>
    MethodContext,

    /// <summary>The request's cancellation token.</summary>
    CancellationToken,

    /// <summary>The HTTP exchange.</summary>
    HttpContext,

    /// <summary>A service from the call's DI scope.</summary>
    Service,

    /// <summary>An uploaded file of a multipart request, by name.</summary>
    FormFile,

    /// <summary>The caller's <see cref="Tessera.Session"/>.</summary>
    Session,

    /// <summary>The signed-in caller's <see cref="Tessera.Account"/>.</summary>
    Account,

    /// <summary>Every parameter of the call as one JSON object (<see cref="AllParametersAttribute"/>).</summary>
    AllParameters,
}
