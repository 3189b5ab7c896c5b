using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// A classifier at prediction time: the network (a transformer or a recurrent one), its text encoder and its class
/// names. Each batch is scored on an inference session of its own, so one instance serves any number of threads side by side, and each call gives the
/// same answer whatever other threads do. A classifier still being trained scores on the model's current weights; once
/// its weights are fixed (<see cref="WithFixedWeights"/>) it scores on weights packed (or quantised) once, which is faster.
/// </summary>
internal sealed class SequenceClassifier
{
    private readonly WorkspacePool<Func<EncoderBatch, Tensor>> _sessions;

    /// <param name="network">The network.</param>
    /// <param name="encoder">Its text encoder.</param>
    /// <param name="tokenizerFiles">The tokenizer's files, saved with the model.</param>
    /// <param name="weightsFixed">Whether the model's weights stay as they are from now on (scoring on packed weights).</param>
    /// <param name="precision">The arithmetic of the encoder's products (<see cref="Precision.Int8"/> needs <paramref name="weightsFixed"/>).</param>
    public SequenceClassifier(
        IClassifierNetwork network, TextEncoder encoder, TokenizerFiles tokenizerFiles, bool weightsFixed,
        Precision precision = Precision.Float32)
    {
        (Network, Encoder, TokenizerFiles, Precision) = (network, encoder, tokenizerFiles, precision);
        _sessions = new(network.Scorers(weightsFixed, precision));
    }

    public IClassifierNetwork Network { get; }

    public TextEncoder Encoder { get; }

    public TokenizerFiles TokenizerFiles { get; }

    /// <summary>The arithmetic of the encoder's products when scoring.</summary>
    public Precision Precision { get; }

    public IReadOnlyList<string> Labels => Network.Labels;

    /// <summary>The same classifier for prediction once training is over: its weights, now fixed, packed (or quantised) once.</summary>
    public SequenceClassifier WithFixedWeights(Precision precision) => new(Network, Encoder, TokenizerFiles, weightsFixed: true, precision);

    /// <summary>
    /// Class probabilities (n, K) and logits (n, K) of <paramref name="texts"/>, in input order, scored in the batches
    /// of <paramref name="batching"/> (sorted by length), run as the network's backend runs batches (on the managed
    /// engine data-parallel when there are batches enough for every thread).
    /// </summary>
    public (float[] Probabilities, float[] Logits) Score(IReadOnlyList<EncodedText> texts, InferenceBatching batching)
    {
        var classes = Labels.Count;
        var logits = new float[texts.Count * classes];
        var plan = batching.Plan([.. texts.Select(t => t.Ids.Length)]);
        Network.RunBatches(plan.Count, index =>
        {
            var rows = plan[index];
            var batch = Encoder.Batch([.. rows.Select(row => texts[row])]);
            _sessions.Use(forward =>
            {
                var scored = forward(batch).Span; // (B, K)
                for (var b = 0; b < rows.Length; b++) scored.Slice(b * classes, classes).CopyTo(logits.AsSpan(rows[b] * classes));
            });
        });
        var probabilities = new float[logits.Length];
        Softmax.Forward(logits, probabilities, texts.Count);
        return (probabilities, logits);
    }
}
