using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// A <see cref="BertForMaskedLM"/> and its packed training sequences as the shared <see cref="TrainingLoop"/> sees
/// them: each step masks its sequences afresh (dynamic masking) with draws fixed by the loop's per-step seed.
/// </summary>
internal sealed class MaskedLanguageModelTraining : ITrainableModel
{
    private const ulong MaskingSalt = 0x3A5C3D;

    private readonly BertForMaskedLM _model;
    private readonly Tokenizer _tokenizer;
    private readonly PackedSequences _sequences;
    private readonly TokenMasker _masker;
    private readonly int _padId;
    private readonly Rng _maskingRng = new(0);

    public MaskedLanguageModelTraining(BertForMaskedLM model, Tokenizer tokenizer, PackedSequences sequences, TokenMasker masker)
    {
        (_model, _tokenizer, _sequences, _masker) = (model, tokenizer, sequences, masker);
        _padId = model.Config.PadTokenId;
    }

    public IReadOnlyList<Parameter> Parameters => _model.Parameters;

    public IReadOnlyList<Parameter> TrainableParameters => _model.Parameters;

    public Models.Execution.ComputeBackend Backend => _model.Encoder.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => _model.DeviceParameters;

    public int ExampleCount => _sequences.Count;

    public int ExampleLength(int index) => _sequences[index].Length;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale) => ForwardBackward(MaskedBatch.Create(_sequences, examples, _masker, _maskingRng, _padId), lossScale);

    /// <summary>
    /// Forward and backward on one masked batch: adds lossScale × the gradient of the mean masked-token loss; returns
    /// that loss. The head runs on the masked tokens only (the other tokens have no loss and so no gradient), and the
    /// loss on the model's backend.
    /// </summary>
    public float ForwardBackward(MaskedBatch batch, float lossScale) =>
        _model.ForwardBackward(batch.Inputs, batch.Positions, batch.Targets, lossScale);

    public void ReseedRandomness(ulong seed)
    {
        _model.ReseedDropout(seed);
        _maskingRng.Reseed(seed ^ MaskingSalt);
    }

    public void WriteCheckpointFiles(string directory)
    {
        _model.Config.Save(Path.Combine(directory, Models.Configuration.BertConfig.FileName));
        BertTokenizerFiles.Write(_tokenizer, directory);
    }
}
