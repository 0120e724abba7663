using System.ComponentModel;

namespace Tessera;

/// <summary>Explorer options, in the <c>Tessera:Explorer</c> section.</summary>
public sealed class ExplorerOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Explorer";

    /// <summary><c>auto</c> (on in Development only), <c>on</c> or <c>off</c>.</summary>
    [Description("The explorer page at /_tessera/ with live metrics: auto (on in Development only), on, or off.")]
    public string Explorer { get; set; } = "auto";
}
