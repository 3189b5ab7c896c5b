using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>A pretrained masked-LM, its tokenizer and how the training went.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Tokenizer">The tokenizer it reads.</param>
/// <param name="History">Step losses, learning rates and held-out measurements (perplexity as the metric).</param>
/// <param name="HeldOutPerplexity">The final held-out perplexity, or null without a held-out part.</param>
/// <param name="TrainingTokens">The number of tokens in the packed training sequences.</param>
public sealed record PretrainingResult(BertForMaskedLM Model, Tokenizer Tokenizer, TrainingHistory History, double? HeldOutPerplexity,
    long TrainingTokens)
{
    /// <summary>The training history file written beside the checkpoint.</summary>
    public const string HistoryFile = "training_history.json";

    /// <summary>Seeds the untrained pooler saved for loaders that build one.</summary>
    private const ulong PoolerSeed = 0x9001;

    /// <summary>
    /// Writes a Hugging Face checkpoint directory (<c>config.json</c> naming <c>BertForMaskedLM</c>,
    /// <c>model.safetensors</c> (with an untrained pooler for loaders that build one), <c>vocab.txt</c>, <c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
    /// <c>special_tokens_map.json</c>, and <see cref="HistoryFile"/>) atomically: into a temporary sibling directory
    /// that then replaces <paramref name="directory"/>.
    /// </summary>
    public void Save(string directory) => PretrainingRun.ReplaceDirectory(directory, temporary =>
    {
        MaskedLmCheckpoint.Of(Model, PoolerSeed).SavePretrained(temporary);
        BertTokenizerFiles.Write(Tokenizer, temporary);
        File.WriteAllText(Path.Combine(temporary, HistoryFile), History.ToJson());
    });
}
