using System.Numerics.Tensors;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>Fills <c>[MASK]</c> tokens of a text with a masked-LM: the top-k tokens and their probabilities per mask.</summary>
public sealed class FillMaskPredictor
{
    /// <summary>Default number of candidates per mask.</summary>
    public const int DefaultTopK = 5;

    private readonly BertForMaskedLM _model;
    private readonly Tokenizer _tokenizer;
    private readonly int _maskId;

    /// <summary>Uses a model and the tokenizer it reads.</summary>
    /// <exception cref="InvalidDataException">The tokenizer has no mask token.</exception>
    public FillMaskPredictor(BertForMaskedLM model, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        (_model, _tokenizer, _maskId) = (model, tokenizer, MaskToken.IdIn(tokenizer));
    }

    /// <summary>
    /// Loads a masked-LM checkpoint: a directory (weights, <c>config.json</c> and tokenizer files) or an ONNX export
    /// (an <c>.onnx</c> file with its tokenizer beside it).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing (for an ONNX export: the model, or the tokenizer beside it).</exception>
    /// <exception cref="DirectoryNotFoundException">The model directory does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or a masked-LM tensor is missing.</exception>
    public static FillMaskPredictor Load(string path)
    {
        var onnx = OnnxCheckpoint.IsOnnxFile(path);
        if (onnx && !File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX model file.", path);
        if (!onnx && !Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: no such model directory.");
        var model = BertForMaskedLM.FromPretrained(path);
        return new FillMaskPredictor(model, Tokenizer.Load(CheckpointFiles.TokenizerLocation(path)));
    }

    /// <summary>The candidates for each mask token of <paramref name="text"/>, in text order, best first.</summary>
    /// <exception cref="ArgumentException">The text has no mask token, or is longer than the model's positions.</exception>
    public IReadOnlyList<IReadOnlyList<FillMaskCandidate>> Predict(string text, int topK = DefaultTopK)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var ids = _tokenizer.Encode(text, settings: EncodingSettings.None).Ids;
        var masks = Enumerable.Range(0, ids.Length).Where(i => ids[i] == _maskId).ToArray();
        if (masks.Length == 0) throw new ArgumentException($"The text has no {_tokenizer.IdToToken(_maskId)} token.", nameof(text));
        if (ids.Length > _model.Config.MaxSequenceLength)
            throw new ArgumentException($"The text is {ids.Length} tokens long; the model reads at most {_model.Config.MaxSequenceLength}.", nameof(text));
        var logits = _model.Forward(new EncoderBatch(1, ids.Length, ids, [.. ids.Select(_ => 1)]), training: false); // (T, V)
        var vocabulary = logits.Size(1);
        var probabilities = new float[vocabulary];
        return [.. masks.Select(position =>
        {
            TensorPrimitives.SoftMax(logits.Span.Slice(position * vocabulary, vocabulary), probabilities);
            return (IReadOnlyList<FillMaskCandidate>)[.. Enumerable.Range(0, vocabulary)
                .OrderByDescending(id => probabilities[id]).ThenBy(id => id).Take(topK)
                .Select(id => new FillMaskCandidate(_tokenizer.IdToToken(id) ?? $"[{id}]", id, probabilities[id]))];
        })];
    }
}
