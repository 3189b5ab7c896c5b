using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Pretrains a GPT-2 (<see cref="Gpt2LMHeadModel"/>) from scratch on a text corpus by next-token prediction: streams
/// and tokenizes the corpus (with a given byte-level BPE tokenizer or one learned on it), packs it into sequences
/// separated by the end-of-text token, and trains through the shared training loop (AdamW, warmup and decay,
/// checkpoints and exact resume, progress, cancellation), measuring held-out perplexity as its validation.
/// </summary>
public sealed class CausalLanguageModelPretrainer
{
    private readonly PretrainingOptions _options;

    /// <summary>Prepares a run; validates the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CausalLanguageModelPretrainer(PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Reads the corpus, builds the model and trains it.</summary>
    /// <exception cref="FileNotFoundException">A corpus, tokenizer or config path does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the tokenizer is not byte-level BPE with <c>&lt;|endoftext|&gt;</c>, or the corpus holds no training text.</exception>
    /// <exception cref="OperationCanceledException">Cancelled by <paramref name="cancellationToken"/> (a checkpoint is written first when configured).</exception>
    /// <exception cref="Training.TrainingDivergedException">The loss became NaN or infinite.</exception>
    public CausalPretrainingResult Fit(CancellationToken cancellationToken = default)
    {
        var options = _options;
        var seed = (ulong)options.SeedOrDefault;
        var corpus = new TextCorpus(options.Corpus, options.HeldOutFraction, seed);
        var tokenizer = LoadTokenizer(corpus);
        var endOfText = tokenizer.TokenToId(Gpt2FilesLoader.EndOfText)
            ?? throw new InvalidDataException($"{options.TokenizerPath}: the tokenizer has no {Gpt2FilesLoader.EndOfText} token.");
        var config = CreateConfig(tokenizer, endOfText);
        var packer = new CausalSequencePacker(endOfText, options.MaxLength);
        var training = PretrainingRun.Collect(packer.Pack(PretrainingRun.Tokenize(tokenizer, corpus.Read(CorpusPart.Training))), int.MaxValue);
        if (training.Count == 0) throw new InvalidDataException($"{string.Join(", ", options.Corpus)}: no training text.");
        var heldOut = PretrainingRun.Collect(packer.Pack(PretrainingRun.Tokenize(tokenizer, corpus.Read(CorpusPart.HeldOut))), options.MaxHeldOutSequences);

        var model = new Gpt2LMHeadModel(config, seed, ComputeBackends.Create(options.Device, options.DegreeOfParallelism, options.TrainingPrecision));
        model.Initialize(seed);
        var evaluator = heldOut.Count == 0 ? null : new CausalHeldOutEvaluator(model, heldOut, options.BatchSize);
        var history = PretrainingRun.Train(new CausalLanguageModelTraining(model, tokenizer, training),
            evaluator is null ? null : evaluator.Evaluate, options, cancellationToken);
        return new CausalPretrainingResult(model, tokenizer, history, evaluator?.Evaluate().MetricValue, training.TokenCount);
    }

    private Tokenizer LoadTokenizer(TextCorpus corpus)
    {
        var tokenizer = _options.TokenizerPath is { } path
            ? Tokenizer.Load(path)
            : ByteLevelBpeTrainer.Train(corpus.Read(CorpusPart.Training), new BpeTrainerOptions { VocabularySize = _options.VocabularySize });
        if (tokenizer.Model is not BpeModel)
            throw new InvalidDataException($"{_options.TokenizerPath}: causal pretraining needs a byte-level BPE tokenizer (vocab.json and merges.txt, as GPT-2's).");
        return tokenizer;
    }

    private Gpt2Config CreateConfig(Tokenizer tokenizer, int endOfText)
    {
        Gpt2Config config;
        if (_options.ConfigPath is { } path)
        {
            config = Gpt2Config.Load(path);
            (config.VocabSize, config.BosTokenId, config.EosTokenId) = (tokenizer.VocabularySize, endOfText, endOfText);
            config.Validate(path);
        }
        else
        {
            config = Gpt2Config.FromPreset(_options.Preset, tokenizer.VocabularySize, Math.Max(BertPresets.DefaultMaxPositionEmbeddings, _options.MaxLength), endOfText);
        }
        if (_options.MaxLength > config.MaxPositions)
            throw new InvalidDataException($"{_options.ConfigPath ?? _options.Preset}: sequences of {_options.MaxLength} tokens exceed the model's n_positions ({config.MaxPositions}).");
        return config;
    }
}
