using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>Writes the logits (B, K) of a padded batch; safe to call from several threads at once.</summary>
internal delegate void BatchScorer(EncoderBatch batch, Span<float> logits);

/// <summary>
/// The network behind a text classifier, one per model family (selected by the checkpoint's <c>model_type</c>): a
/// BERT-family encoder with its pooled head (<see cref="EncoderClassifierNetwork"/>) or a GPT-2 decoder with its
/// last-token head (<see cref="DecoderClassifierNetwork"/>). Training runs on the network itself; scoring on a
/// <see cref="BatchScorer"/>.
/// </summary>
internal abstract class ClassifierNetwork
{
    /// <summary>The Hugging Face class of the model (<c>BertForSequenceClassification</c>, <c>GPT2ForSequenceClassification</c>), for messages.</summary>
    public abstract string ModelClass { get; }

    /// <summary>The class names in logit order (the config's <c>id2label</c>).</summary>
    public abstract IReadOnlyList<string> Labels { get; }

    /// <summary>Every parameter under its Hugging Face name.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The BERT-family model, or null for another family.</summary>
    public virtual BertForSequenceClassification? Encoder => null;

    /// <summary>Logits (B, K) of a padded batch; with <paramref name="training"/> dropout is active and <see cref="Backward"/> may follow.</summary>
    public abstract Tensor Forward(EncoderBatch batch, bool training);

    /// <summary>Adds every parameter's gradient for the gradient of the last training forward's logits (B, K).</summary>
    public abstract void Backward(Tensor dLogits);

    /// <summary>Restarts the dropout streams from <paramref name="seed"/>.</summary>
    public abstract void ReseedDropout(ulong seed);

    /// <summary>The <c>config.json</c> text (with <c>id2label</c>).</summary>
    public abstract string ConfigJson();

    /// <summary>Fills the parameters from a checkpoint by Hugging Face name, reporting what matched.</summary>
    public abstract LoadReport LoadWeights(ITensorSource weights);

    /// <summary>Writes the weights as safetensors to <paramref name="stream"/> (left open).</summary>
    public abstract void SaveWeights(Stream stream);

    /// <summary>A scorer over the current weights, or, when they stay fixed from now on, over weights packed (or quantised) once.</summary>
    /// <exception cref="NotSupportedException">The family does not score in <paramref name="precision"/>.</exception>
    public abstract BatchScorer CreateScorer(bool weightsFixed, Precision precision);
}
