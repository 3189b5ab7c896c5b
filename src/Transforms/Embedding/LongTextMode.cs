using System.Text.Json.Serialization;
using MLNet.Transformers.Transforms;

namespace MLNet.Transformers;

/// <summary>What the featurizer does with a text longer than the maximum number of tokens.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LongTextMode>))]
public enum LongTextMode
{
    /// <summary>Keep the first tokens and drop the rest; every truncated input is counted (<see cref="TextEmbedder.TruncatedCount"/>).</summary>
    Truncate,

    /// <summary>
    /// Embed overlapping windows of the text (consecutive windows share <see cref="TextEmbeddingOptions.WindowOverlap"/>
    /// tokens) and average the windows' pooled vectors weighted by their token counts, before normalisation.
    /// Single texts only (not pairs).
    /// </summary>
    SlidingWindow,
}
