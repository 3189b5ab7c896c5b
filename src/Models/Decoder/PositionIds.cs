namespace MLNet.Transformers.Models.Decoder;

/// <summary>
/// GPT-2's position ids from an attention mask, as Hugging Face computes them for padded batches
/// (<c>position_ids = attention_mask.cumsum(-1) - 1</c>, padding filled with 1): a real token's position is the number
/// of real tokens before it in its sequence, so a left-padded prompt has the positions it has alone.
/// </summary>
internal static class PositionIds
{
    /// <summary>The position id Hugging Face gives padding tokens.</summary>
    public const int Padding = 1;

    /// <summary>
    /// Position ids (B·T) of <paramref name="t"/> tokens per sequence with <paramref name="attentionMask"/> (B·T,
    /// row-major; empty for all real), sequence s having <paramref name="realBefore"/>[s] real tokens before them
    /// (empty for none).
    /// </summary>
    public static int[] FromMask(ReadOnlySpan<float> attentionMask, int b, int t, ReadOnlySpan<int> realBefore)
    {
        var positions = new int[b * t];
        for (var s = 0; s < b; s++)
        {
            var real = realBefore.IsEmpty ? 0 : realBefore[s];
            for (var i = 0; i < t; i++)
            {
                var padding = !attentionMask.IsEmpty && attentionMask[s * t + i] == 0f;
                positions[s * t + i] = padding ? Padding : real++;
            }
        }
        return positions;
    }
}
