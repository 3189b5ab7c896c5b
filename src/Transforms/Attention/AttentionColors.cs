using System.Globalization;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// The heatmap scale both renderings use: a weight in [0, 1] from white to deep blue, and the text colour that stays
/// readable on it. The HTML page's script applies the same formula (<see cref="Script"/>), rounding halves up as JavaScript does.
/// </summary>
internal static class AttentionColors
{
    /// <summary>Red, green and blue at weight 1; at weight 0 every channel is 255 (white).</summary>
    private static readonly (int Red, int Green, int Blue) Full = (8, 48, 107);

    /// <summary>Weights above this get white text.</summary>
    public const double DarkAbove = 0.5;

    /// <summary>The CSS colour of <paramref name="weight"/> (clamped to [0, 1]).</summary>
    public static string Fill(float weight)
    {
        var w = Math.Clamp((double)weight, 0, 1);
        int Channel(int full) => (int)Math.Round(255 - (255 - full) * w, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture, $"rgb({Channel(Full.Red)},{Channel(Full.Green)},{Channel(Full.Blue)})");
    }

    /// <summary>The text colour on <paramref name="weight"/>'s fill.</summary>
    public static string Text(float weight) => weight > DarkAbove ? "#fff" : "#222";

    /// <summary><see cref="Fill"/> and <see cref="Text"/> as JavaScript functions <c>fill(w)</c> and <c>ink(w)</c>.</summary>
    public static string Script => string.Create(CultureInfo.InvariantCulture, $$"""
        const fill = w => { const v = Math.min(Math.max(w, 0), 1), c = f => Math.round(255 - (255 - f) * v); return `rgb(${c({{Full.Red}})},${c({{Full.Green}})},${c({{Full.Blue}})})`; };
        const ink = w => w > {{DarkAbove}} ? '#fff' : '#222';
        """);
}
