using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Encoder;

/// <summary>The position id of every token, as each architecture numbers them.</summary>
public static class PositionIds
{
    /// <summary>
    /// Writes position ids (B, T): <c>0..T-1</c> for BERT and DistilBERT; for RoBERTa, non-padding tokens count up
    /// from <c>pad_token_id + 1</c> and padding tokens get <c>pad_token_id</c> (Hugging Face's
    /// <c>create_position_ids_from_input_ids</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A position exceeds the configured table.</exception>
    public static void Compute(BertConfig config, EncoderBatch batch, Span<int> positions)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(batch);
        var (b, t) = (batch.BatchSize, batch.SequenceLength);
        if (t > config.MaxSequenceLength)
            throw new ArgumentException(
                $"Sequences of {t} tokens exceed the model's {config.MaxSequenceLength} positions (max_position_embeddings).");
        var roberta = config.Architecture == EncoderArchitecture.Roberta;
        for (var row = 0; row < b; row++)
        {
            var counted = 0;
            for (var i = 0; i < t; i++)
            {
                var index = row * t + i;
                if (!roberta) positions[index] = i;
                else positions[index] = batch.InputIds[index] == config.PadTokenId ? config.PadTokenId : config.PadTokenId + ++counted;
            }
        }
    }
}
