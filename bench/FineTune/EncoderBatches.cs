using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Bench.FineTune;

/// <summary>Padded encoder batches of chosen examples (single sentences: token types all 0).</summary>
internal static class EncoderBatches
{
    public static EncoderBatch Pad(LabeledSequences set, IReadOnlyList<int> indices, int padTokenId)
    {
        int[][] ids = [.. indices.Select(i => set.Ids[i])];
        return EncoderBatch.Pad(ids, [.. ids.Select(row => new int[row.Length])], padTokenId);
    }
}
