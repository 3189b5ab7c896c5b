namespace MLNet.Transformers.Models.Configuration;

// GPT-2-shaped configurations of the named sizes.
public sealed partial class Gpt2Config
{
    /// <summary>
    /// A GPT-2 configuration of the named size (<see cref="BertPresets"/>: <c>tiny</c>, <c>mini</c>, <c>small</c>; the
    /// same layers, width, heads and feed-forward width); other fields keep GPT-2's defaults.
    /// </summary>
    /// <param name="name">A preset name.</param>
    /// <param name="vocabularySize">The tokenizer's vocabulary size (<c>vocab_size</c>).</param>
    /// <param name="maxPositions">The longest sequence (<c>n_positions</c>).</param>
    /// <param name="endOfTextId">The tokenizer's end-of-text id (<c>bos_token_id</c> and <c>eos_token_id</c>).</param>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    /// <exception cref="InvalidDataException">A size is not valid (e.g. the end-of-text id is outside the vocabulary).</exception>
    public static Gpt2Config FromPreset(string name, int vocabularySize, int maxPositions, int endOfTextId)
    {
        var preset = BertPresets.Get(name);
        var config = new Gpt2Config
        {
            VocabSize = vocabularySize,
            MaxPositions = maxPositions,
            HiddenSize = preset.HiddenSize,
            NumLayers = preset.Layers,
            NumHeads = preset.AttentionHeads,
            InnerSize = preset.IntermediateSize,
            BosTokenId = endOfTextId,
            EosTokenId = endOfTextId,
        };
        config.Validate($"preset '{preset.Name}'");
        return config;
    }
}
