using MLNet.Transformers.Models;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Training;
using MLNet.Transformers.Trainers.Training;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// Pretrains a <see cref="BertForMaskedLM"/> from scratch on a text corpus: streams and tokenizes the corpus (with a
/// given tokenizer or a WordPiece vocabulary learned on it), packs it into sequences, and trains with dynamic masking
/// through the shared <see cref="TrainingLoop"/> (AdamW, warmup and decay, checkpoints and exact resume, progress,
/// cancellation), measuring held-out perplexity as its validation.
/// </summary>
public sealed class MaskedLanguageModelPretrainer
{
    /// <summary>The <c>architectures</c> entry of the saved <c>config.json</c>.</summary>
    public const string ArchitectureName = "BertForMaskedLM";

    private const ulong HeldOutMaskSalt = 0x4E1D0;

    private readonly PretrainingOptions _options;

    /// <summary>Prepares a run; validates the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MaskedLanguageModelPretrainer(PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Reads the corpus, builds the model and trains it.</summary>
    /// <exception cref="FileNotFoundException">A corpus, tokenizer or config path does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, the tokenizer is not BERT WordPiece, or the corpus holds no training text.</exception>
    /// <exception cref="OperationCanceledException">Cancelled by <paramref name="cancellationToken"/> (a checkpoint is written first when configured).</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public PretrainingResult Fit(CancellationToken cancellationToken = default)
    {
        var options = _options;
        var corpus = new TextCorpus(options.Corpus, options.HeldOutFraction, (ulong)options.SeedOrDefault);
        var tokenizer = LoadTokenizer(corpus);
        var config = CreateConfig(tokenizer);
        var masker = TokenMasker.ForTokenizer(tokenizer, options.Masking);
        var packer = new SequencePacker(Id(tokenizer, "[CLS]"), Id(tokenizer, "[SEP]"), options.MaxLength);
        var training = Pack(packer, tokenizer, corpus.Read(CorpusPart.Training), int.MaxValue);
        if (training.Count == 0) throw new InvalidDataException($"{string.Join(", ", options.Corpus)}: no training text.");
        var heldOut = Pack(packer, tokenizer, corpus.Read(CorpusPart.HeldOut), options.MaxHeldOutSequences);

        var model = new BertForMaskedLM(config, (ulong)options.SeedOrDefault, ComputeBackends.Create(options.Device, options.DegreeOfParallelism, options.TrainingPrecision));
        model.Initialize((ulong)options.SeedOrDefault);
        var trainable = new MaskedLanguageModelTraining(model, tokenizer, training, masker);
        var evaluator = heldOut.Count == 0 ? null
            : new HeldOutEvaluator(model, heldOut, masker, options.BatchSize, (ulong)options.SeedOrDefault ^ HeldOutMaskSalt);
        var history = PretrainingRun.Train(trainable, evaluator is null ? null : evaluator.Evaluate, options, cancellationToken);
        var perplexity = evaluator?.Evaluate().MetricValue;
        return new PretrainingResult(model, tokenizer, history, perplexity, training.TokenCount);
    }

    private Tokenizer LoadTokenizer(TextCorpus corpus)
    {
        var tokenizer = _options.TokenizerPath is { } path ? Tokenizer.Load(path) : TrainTokenizer(corpus);
        if (!BertTokenizerFiles.CanWrite(tokenizer))
            throw new InvalidDataException(
                $"{_options.TokenizerPath}: pretraining needs a BERT WordPiece tokenizer with [UNK], [SEP], [PAD], [CLS] and [MASK].");
        return tokenizer;
    }

    private Tokenizer TrainTokenizer(TextCorpus corpus)
    {
        try
        {
            return WordPieceTrainer.Train(corpus.Read(CorpusPart.Training), new BpeTrainerOptions { VocabularySize = _options.VocabularySize });
        }
        catch (AggregateException error) when (error.Flatten().InnerExceptions is [InvalidDataException corpusError])
        {
            // The vocabulary is counted in parallel: a malformed corpus line surfaces wrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(corpusError);
            throw;
        }
    }

    private BertConfig CreateConfig(Tokenizer tokenizer)
    {
        var padId = Id(tokenizer, "[PAD]");
        BertConfig config;
        if (_options.ConfigPath is { } path)
        {
            config = BertConfig.Load(path);
            (config.VocabSize, config.PadTokenId) = (tokenizer.VocabularySize, padId);
            config.Validate(path);
        }
        else
        {
            config = BertPresets.Create(_options.Preset, tokenizer.VocabularySize,
                Math.Max(BertPresets.DefaultMaxPositionEmbeddings, _options.MaxLength), padId);
        }
        if (_options.MaxLength > config.MaxSequenceLength)
            throw new InvalidDataException(
                $"{_options.ConfigPath ?? _options.Preset}: sequences of {_options.MaxLength} tokens exceed the model's {config.MaxSequenceLength} positions.");
        config.Architectures = [ArchitectureName];
        return config;
    }

    private static int Id(Tokenizer tokenizer, string token) =>
        tokenizer.TokenToId(token) ?? throw new InvalidDataException($"The tokenizer has no {token} token.");

    private static PackedSequences Pack(SequencePacker packer, Tokenizer tokenizer, IEnumerable<string> texts, int maxSequences) =>
        PretrainingRun.Collect(packer.Pack(PretrainingRun.Tokenize(tokenizer, texts)), maxSequences);
}
