using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A fine-tuned classifier at prediction time: the model, its text encoder and its class names. Scoring is serialized
/// by a lock (the model reuses its activation buffers), so one instance serves any number of threads; each call gives
/// the same answer whatever other threads do.
/// </summary>
internal sealed class SequenceClassifier(BertForSequenceClassification model, TextEncoder encoder, TokenizerFiles tokenizerFiles)
{
    private readonly Lock _lock = new();

    public BertForSequenceClassification Model { get; } = model;

    public TextEncoder Encoder { get; } = encoder;

    public TokenizerFiles TokenizerFiles { get; } = tokenizerFiles;

    public IReadOnlyList<string> Labels => Model.Config.Labels;

    /// <summary>Class probabilities (n, K) and logits (n, K) of <paramref name="texts"/>, scored in one batch.</summary>
    public (float[] Probabilities, float[] Logits) Score(IReadOnlyList<EncodedText> texts)
    {
        var batch = Encoder.Batch(texts);
        var classes = Labels.Count;
        var logits = new float[texts.Count * classes];
        lock (_lock)
        {
            Model.Forward(batch, training: false).Span.CopyTo(logits); // (B, K)
        }
        var probabilities = new float[logits.Length];
        Softmax.Forward(logits, probabilities, texts.Count);
        return (probabilities, logits);
    }

    /// <summary>
    /// Probabilities (n, K) of many texts, scored in batches of <paramref name="batchSize"/> texts of similar length
    /// (sorted, so little padding), returned in input order.
    /// </summary>
    public float[] ScoreAll(IReadOnlyList<EncodedText> texts, int batchSize)
    {
        var classes = Labels.Count;
        var result = new float[texts.Count * classes];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Ids.Length).ToArray();
        foreach (var chunk in order.Chunk(batchSize))
        {
            var (probabilities, _) = Score([.. chunk.Select(i => texts[i])]);
            for (var r = 0; r < chunk.Length; r++)
                probabilities.AsSpan(r * classes, classes).CopyTo(result.AsSpan(chunk[r] * classes));
        }
        return result;
    }
}
