using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Pooling;

namespace MLNet.Transformers;

/// <summary>
/// How a text-embedding model is loaded and run. Settings left null follow the checkpoint: its sentence-transformers
/// modules (<c>modules.json</c>, <c>1_Pooling/config.json</c>, <c>2_Normalize</c>, <c>sentence_bert_config.json</c>)
/// when present, otherwise mean pooling without normalisation.
/// </summary>
public sealed record TextEmbeddingOptions
{
    /// <summary>Default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = InferenceBatching.DefaultBatchSize;

    /// <summary>The divisor of the window length that gives the default <see cref="WindowOverlap"/> (a quarter).</summary>
    public const int DefaultWindowOverlapDivisor = 4;

    /// <summary>
    /// The model: a Hugging Face checkpoint directory (<c>config.json</c>, <c>model.safetensors</c> or PyTorch
    /// weights, <c>tokenizer.json</c> or <c>vocab.txt</c>, and optionally the sentence-transformers files), or a
    /// BERT-family ONNX export (an <c>.onnx</c> file with its <c>tokenizer.json</c> or <c>vocab.txt</c> beside it, and
    /// the sentence-transformers files when its folder has a <c>modules.json</c>; else mean pooling). Required.
    /// </summary>
    public required string ModelPath { get; init; }

    /// <summary>
    /// The tokenizer: a <c>tokenizer.json</c>, a <c>vocab.txt</c> or a directory holding one; null (the default) takes
    /// the checkpoint's own (for an ONNX export, the one beside it).
    /// </summary>
    public string? TokenizerPath { get; init; }

    /// <summary>
    /// A <c>Microsoft.ML.Tokenizers</c> tokenizer to cut text into ids instead of the checkpoint's (one that only that
    /// library reads: SentencePiece, Tiktoken ...); null (the default) uses the files. The special tokens, type ids and
    /// truncation length still come from the checkpoint's tokenizer files (or <see cref="TokenizerPath"/>'s: of a
    /// <c>tokenizer.json</c> only its added tokens, post-processor and truncation are read). Its vocabulary size must
    /// equal the model's <c>vocab_size</c>. A model given one cannot be saved, unless it is an
    /// <see cref="Tokenizers.Interop.HuggingFaceTokenizer"/> loaded from files (those files are saved, and it runs
    /// whole: its own special tokens).
    /// </summary>
    public Microsoft.ML.Tokenizers.Tokenizer? Tokenizer { get; init; }

    /// <summary>One pooling replacing the checkpoint's; null (the default) keeps the checkpoint's pooling modes.</summary>
    public PoolingMode? Pooling { get; init; }

    /// <summary>Whether vectors are scaled to unit L2 norm; null (the default) follows the checkpoint (a Normalize module).</summary>
    public bool? Normalize { get; init; }

    /// <summary>
    /// The longest input in tokens, special tokens included. Null (the default): the checkpoint's
    /// <c>max_seq_length</c>, else the <c>tokenizer.json</c> truncation length, else the model's position table.
    /// </summary>
    public int? MaximumTokens { get; init; }

    /// <summary>
    /// Most sequences (windows) run through the model at once, sorted by length; a batch also holds at most
    /// <see cref="InferenceBatching.DefaultMaxBatchTokens"/> padded tokens (<see cref="InferenceBatching"/>). Default <see cref="DefaultBatchSize"/>.
    /// </summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>
    /// Threads this embedder's kernels and tokenizer use: its managed backend owns them, and its loop over batches
    /// runs on as many. Null (the default) is every core. It applies to this embedder only: two embedders with two
    /// degrees run side by side, each on its own threads.
    /// </summary>
    public int? DegreeOfParallelism { get; init; }

    /// <summary>What happens to texts longer than <see cref="MaximumTokens"/>. Default <see cref="LongTextMode.Truncate"/>.</summary>
    public LongTextMode LongTextMode { get; init; } = LongTextMode.Truncate;

    /// <summary>
    /// Tokens shared by consecutive windows in <see cref="LongTextMode.SlidingWindow"/>. Null (the default): a
    /// <see cref="DefaultWindowOverlapDivisor"/>-th of the tokens a window holds for text.
    /// </summary>
    public int? WindowOverlap { get; init; }

    /// <summary>
    /// The arithmetic of the encoder's dense products. Default <see cref="Precision.Float32"/>;
    /// <see cref="Precision.Int8"/> quantises the weights when the embedder is created (and again when a saved pipeline
    /// is loaded: the model is saved in single precision with this setting) and runs about twice as fast on CPUs with
    /// AVX-VNNI, at a cosine of about 0.99 to the single-precision vectors.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32;

    /// <summary>
    /// Where the encoder runs: <c>cpu</c> (the default) is the managed engine; <c>torch:cpu</c>, <c>cuda</c> or
    /// <c>cuda:N</c> run on libtorch through the package <c>MLNet.Transformers.TorchSharp</c> (with
    /// <c>TorchSharp-cpu</c> or a CUDA libtorch package; see docs/gpu.md). Not saved with a pipeline: a loaded
    /// pipeline embeds on the managed engine.
    /// </summary>
    public string Device { get; init; } = Models.Execution.ComputeBackends.DefaultDevice;
}
