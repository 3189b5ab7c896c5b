using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// A <see cref="Gpt2LMHeadModel"/> and its packed token sequences as the shared <see cref="TrainingLoop"/> sees them,
/// for causal language modelling: every token predicts the next one of its sequence. A batch lays its sequences side
/// by side, shorter ones padded at the end with <c>eos_token_id</c> under ignored labels (causal attention keeps the
/// padding out of the real tokens), so the loss is the mean over every real next-token prediction of the batch.
/// </summary>
internal sealed class CausalLanguageModelTraining(Gpt2LMHeadModel model, Tokenizer tokenizer, PackedSequences sequences) : ITrainableModel
{
    public IReadOnlyList<Parameter> Parameters => model.Parameters;

    public IReadOnlyList<Parameter> TrainableParameters => model.Parameters;

    public Models.Execution.ComputeBackend Backend => model.Backend;

    public IReadOnlyList<Models.Execution.DeviceParameter> DeviceParameters => model.DeviceParameters;

    public int ExampleCount => sequences.Count;

    public int ExampleLength(int index) => sequences[index].Length;

    public float ForwardBackward(ReadOnlySpan<int> examples, float lossScale)
    {
        var (ids, labels) = Batch(sequences, examples, model.Config.EosTokenId);
        return model.ForwardBackward(ids, examples.Length, labels, lossScale);
    }

    /// <summary>
    /// The ids (B·T) of sequences <paramref name="examples"/>, T the longest, the others padded with
    /// <paramref name="padId"/>, and their labels: the ids, <see cref="CrossEntropyOptions.IgnoreIndex"/> at the padding.
    /// </summary>
    public static (int[] Ids, int[] Labels) Batch(PackedSequences sequences, ReadOnlySpan<int> examples, int padId)
    {
        var t = 0;
        foreach (var example in examples) t = Math.Max(t, sequences[example].Length);
        var ids = new int[examples.Length * t];
        var labels = new int[ids.Length];
        Array.Fill(ids, padId);
        Array.Fill(labels, new CrossEntropyOptions().IgnoreIndex);
        for (var row = 0; row < examples.Length; row++)
        {
            var sequence = sequences[examples[row]];
            sequence.CopyTo(ids.AsSpan(row * t));
            sequence.CopyTo(labels.AsSpan(row * t));
        }
        return (ids, labels);
    }

    public void ReseedRandomness(ulong seed) => model.ReseedDropout(seed);

    /// <summary>Writes <c>config.json</c> and the byte-level BPE tokenizer's <c>vocab.json</c> and <c>merges.txt</c>.</summary>
    /// <exception cref="InvalidOperationException">The tokenizer is not byte-level BPE.</exception>
    public void WriteCheckpointFiles(string directory)
    {
        model.Config.Save(Path.Combine(directory, Gpt2Config.FileName));
        var bpe = tokenizer.Model as BpeModel
            ?? throw new InvalidOperationException("A GPT-2 checkpoint needs a byte-level BPE tokenizer (vocab.json, merges.txt).");
        TokenizerFileWriter.WriteBpeFiles(bpe, Path.Combine(directory, TokenizerLoader.VocabJson), Path.Combine(directory, TokenizerLoader.MergesTxt));
    }
}
