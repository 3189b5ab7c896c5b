using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>A pretrained GPT-2, its tokenizer and how the training went.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Tokenizer">The byte-level BPE tokenizer it reads.</param>
/// <param name="History">Step losses, learning rates and held-out measurements (perplexity as the metric).</param>
/// <param name="HeldOutPerplexity">The final held-out perplexity, or null without a held-out part.</param>
/// <param name="TrainingTokens">The number of tokens in the packed training sequences.</param>
public sealed record CausalPretrainingResult(Gpt2LMHeadModel Model, Tokenizer Tokenizer, TrainingHistory History, double? HeldOutPerplexity,
    long TrainingTokens)
{
    /// <summary>
    /// Writes a Hugging Face GPT-2 checkpoint directory (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.json</c>,
    /// <c>merges.txt</c> and <see cref="PretrainingResult.HistoryFile"/>) atomically: into a temporary sibling
    /// directory that then replaces <paramref name="directory"/>.
    /// </summary>
    public void Save(string directory) => PretrainingRun.ReplaceDirectory(directory, temporary =>
    {
        Model.SavePretrained(temporary);
        TokenizerFileWriter.WriteBpeFiles((BpeModel)Tokenizer.Model,
            Path.Combine(temporary, TokenizerLoader.VocabJson), Path.Combine(temporary, TokenizerLoader.MergesTxt));
        File.WriteAllText(Path.Combine(temporary, PretrainingResult.HistoryFile), History.ToJson());
    });
}
