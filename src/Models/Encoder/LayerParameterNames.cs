using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>
/// Checkpoint names of encoder layer parameters: <c>encoder.layer.{i}.</c> plus the BERT names for BERT and RoBERTa;
/// <c>transformer.layer.{i}.</c> plus DistilBERT's own names (<c>attention.q_lin</c>, <c>sa_layer_norm</c>, ...).
/// </summary>
internal static class LayerParameterNames
{
    private static readonly (string Bert, string DistilBert)[] DistilBertRenames =
    [
        ("attention.self.query.", "attention.q_lin."),
        ("attention.self.key.", "attention.k_lin."),
        ("attention.self.value.", "attention.v_lin."),
        ("attention.output.dense.", "attention.out_lin."),
        ("attention.output.LayerNorm.", "sa_layer_norm."),
        ("intermediate.dense.", "ffn.lin1."),
        ("output.dense.", "ffn.lin2."),
        ("output.LayerNorm.", "output_layer_norm."),
    ];

    /// <summary>The checkpoint name of layer <paramref name="index"/>'s parameter <paramref name="bertName"/>.</summary>
    public static string For(EncoderArchitecture architecture, int index, string bertName)
    {
        if (architecture != EncoderArchitecture.DistilBert) return $"encoder.layer.{index}.{bertName}";
        foreach (var (bert, distil) in DistilBertRenames)
        {
            if (bertName.StartsWith(bert, StringComparison.Ordinal)) return $"transformer.layer.{index}.{distil}{bertName[bert.Length..]}";
        }
        throw new ArgumentException($"No DistilBERT name for encoder layer parameter '{bertName}'.", nameof(bertName));
    }
}
