namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// Maps checkpoint tensor names to a canonical form so a model finds its parameters whether the checkpoint was saved
/// from a bare encoder (<c>embeddings.…</c>) or from a model with a head (<c>bert.embeddings.…</c>), and whether its
/// LayerNorms use the legacy TensorFlow names <c>gamma</c>/<c>beta</c>.
/// </summary>
public static class CheckpointNames
{
    private static readonly (string Legacy, string Modern)[] LegacySuffixes =
    [
        ("LayerNorm.gamma", "LayerNorm.weight"),
        ("LayerNorm.beta", "LayerNorm.bias"),
    ];

    /// <summary>The canonical form of a name: without <paramref name="basePrefix"/> (e.g. <c>bert.</c>), modern LayerNorm names.</summary>
    public static string Canonical(string name, string basePrefix)
    {
        if (name.StartsWith(basePrefix, StringComparison.Ordinal)) name = name[basePrefix.Length..];
        foreach (var (legacy, modern) in LegacySuffixes)
        {
            if (name.EndsWith(legacy, StringComparison.Ordinal)) return name[..^legacy.Length] + modern;
        }
        return name;
    }
}
