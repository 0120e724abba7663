namespace Tessera;

/// <summary>
/// Marks a public method as callable by name over every wire Tessera serves.
/// </summary>
/// <remarks>
/// Without an explicit name the method is called <c>class_name.method_name</c> in snake_case, with a trailing
/// <c>Methods</c> or <c>Service</c> dropped from the class name and a trailing <c>Async</c> from the method name:
/// <c>UserProfile.GetAvatarAsync</c> is <c>user_profile.get_avatar</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class MethodAttribute : Attribute
{
    /// <summary>Registers the method under its conventional name.</summary>
    public MethodAttribute()
    {
    }

    /// <summary>Registers the method under <paramref name="name"/>, for example <c>"a.b.c"</c>.</summary>
    public MethodAttribute(string name) => Name = name;

    /// <summary>The explicit wire name, or <see langword="null"/> for the conventional one.</summary>
    public string? Name { get; }

    /// <summary>
    /// True when the method only reads, so it may also be called with <c>GET</c> and <c>HEAD</c>
    /// (<c>GET /math/add?a=1&amp;b=2</c>). Methods are POST-only by default: a link, an image tag or a prefetch can send
    /// a GET with the user's cookie, so a GET must never change anything. <c>account.*</c> methods never allow GET.
    /// </summary>
    public bool AllowGet { get; set; }
}
