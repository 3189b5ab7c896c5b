using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Execution;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// Sentence embeddings from a BERT-family checkpoint: tokenizes texts (or pairs), runs them through the encoder in
/// length-sorted batches (inference only: no activations kept), pools, optionally normalises, and returns one vector
/// per input in input order. Texts longer than <see cref="TextEmbeddingSettings.MaximumTokens"/> are truncated and
/// counted (<see cref="TruncatedCount"/>) or embedded in sliding windows. The encoder runs in inference sessions over
/// weights packed (or quantised, see <see cref="TextEmbeddingSettings.Precision"/>) once, its batches run as its backend runs them (on the managed engine
/// many batches data-parallel, each on one thread; few split by the operations).
/// Thread-safe: concurrent calls run side by side, each batch on a session of its own.
/// </summary>
public sealed partial class TextEmbedder
{
    private readonly BertModel _encoder;
    private readonly WorkspacePool<(BertInferenceSession Session, SentencePooler Pooler)> _workspaces;
    private readonly Tokenizer _tokenizer;
    private readonly EncodingSettings _encoding;
    private readonly InferenceBatching _batching;
    private readonly TokenizerFiles _tokenizerFiles;
    private readonly int? _degreeOfParallelism; // threads of the tokenizer's batch encoding (the encoder's backend has its own); null: every core
    private long _truncated;

    private TextEmbedder(BertModel encoder, TokenizerFiles tokenizerFiles, Tokenizer tokenizer, TextEmbeddingSettings settings, int? degreeOfParallelism)
    {
        _encoder = encoder;
        _tokenizerFiles = tokenizerFiles;
        _tokenizer = tokenizer;
        Settings = Validate(settings, encoder.Config, _tokenizer);
        _batching = new InferenceBatching { BatchSize = Settings.BatchSize };
        var prototype = encoder.CreateInferenceSession(precision: Settings.Precision); // holds the packed weights; batches run on its siblings
        var pooling = new PoolingConfig { WordEmbeddingDimension = encoder.Config.HiddenSize, Modes = settings.PoolingModes };
        _workspaces = new(() => (prototype.CreateSibling(), new SentencePooler(pooling, normalize: false)));
        Dimension = pooling.SentenceEmbeddingDimension;
        _encoding = new EncodingSettings
        {
            Truncation = new TruncationOptions
            {
                MaxLength = Settings.MaximumTokens,
                Stride = Settings.LongTextMode == LongTextMode.SlidingWindow ? Settings.WindowOverlap : 0,
            },
        };
        if (degreeOfParallelism is { } degree)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1, nameof(TextEmbeddingOptions.DegreeOfParallelism));
            _degreeOfParallelism = degree;
        }
    }

    /// <summary>
    /// Loads the checkpoint of <see cref="TextEmbeddingOptions.ModelPath"/> (a directory, or an ONNX export) with its
    /// tokenizer (or <see cref="TextEmbeddingOptions.TokenizerPath"/>) and sentence-transformers modules; options left
    /// null follow the checkpoint.
    /// </summary>
    /// <exception cref="FileNotFoundException">A required file is missing (for an ONNX export: its tokenizer, when none is named).</exception>
    /// <exception cref="DirectoryNotFoundException">The model directory does not exist.</exception>
    /// <exception cref="InvalidDataException">A checkpoint file is malformed.</exception>
    /// <exception cref="ArgumentException">An option is out of range for this model, or the tokenizer passed in does not have the model's vocabulary size.</exception>
    public static TextEmbedder FromPretrained(TextEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var onnx = OnnxCheckpoint.IsOnnxFile(options.ModelPath);
        if (onnx && !File.Exists(options.ModelPath))
            throw new FileNotFoundException($"{options.ModelPath}: no such ONNX model file.", options.ModelPath);
        if (!onnx && !Directory.Exists(options.ModelPath))
            throw new DirectoryNotFoundException($"{options.ModelPath}: no such model directory.");
        var tokenizerPath = options.TokenizerPath ?? (onnx ? OnnxCheckpoint.RequireTokenizer(options.ModelPath) : null);
        var sentence = SentenceEncoder.FromPretrained(options.ModelPath, ComputeBackends.Create(options.Device, options.DegreeOfParallelism));
        var config = sentence.Encoder.Config;
        var (tokenizer, files) = LoadTokenizer(options, tokenizerPath ?? Path.Combine(options.ModelPath, sentence.Modules.TransformerPath), config);
        var tokenizerLength = tokenizer.Settings.Truncation?.MaxLength;
        var maximumTokens = options.MaximumTokens ?? sentence.Modules.MaxSeqLength ?? tokenizerLength ?? config.MaxSequenceLength;
        var settings = new TextEmbeddingSettings
        {
            PoolingModes = options.Pooling is { } mode ? [mode] : sentence.Modules.Pooling.Modes,
            Normalize = options.Normalize ?? sentence.Modules.Normalize,
            MaximumTokens = maximumTokens,
            BatchSize = options.BatchSize,
            LongTextMode = options.LongTextMode,
            WindowOverlap = options.WindowOverlap ?? -1,
            LowercaseText = sentence.Modules.DoLowerCase,
            Precision = options.Precision,
        };
        return new TextEmbedder(sentence.Encoder, files, tokenizer, settings, options.DegreeOfParallelism);
    }

    /// <summary>The tokenizer at <paramref name="path"/>, or the one of <see cref="TextEmbeddingOptions.Tokenizer"/> with that path's special tokens.</summary>
    private static (Tokenizer Tokenizer, TokenizerFiles Files) LoadTokenizer(TextEmbeddingOptions options, string path, BertConfig config)
    {
        const string option = nameof(TextEmbeddingOptions) + "." + nameof(TextEmbeddingOptions.Tokenizer);
        var (tokenizer, tokenizerFiles) = ModelTokenizer.Resolve(options.Tokenizer, () => TokenizerFiles.FromPath(path), option);
        if (options.Tokenizer is not null && ModelTokenizer.VocabularyMismatch(tokenizer, config.VocabSize, option) is { } mismatch)
            throw new ArgumentException(mismatch, nameof(options));
        return (tokenizer, tokenizerFiles);
    }

    /// <summary>The settings in use (the checkpoint's defaults applied).</summary>
    public TextEmbeddingSettings Settings { get; }

    /// <summary>The encoder's configuration.</summary>
    public BertConfig Config => _encoder.Config;

    /// <summary>The tokenizer; the embedder encodes with <see cref="EncodingSettings"/> of its own.</summary>
    public Tokenizer Tokenizer => _tokenizer;

    /// <summary>How the embedder encodes: no padding (batches are padded here), truncation at the maximum length (with the window overlap as stride for sliding windows).</summary>
    public EncodingSettings Encoding => _encoding;

    /// <summary>Width of the vectors: the hidden size times the number of pooling modes.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The fewest inputs per <see cref="Embed(IReadOnlyList{string}, IReadOnlyList{string?}?)"/> call that run data-parallel
    /// (each batch on one thread; see <see cref="InferenceBatching.DataParallelInputs"/>). Callers that choose how many
    /// texts to pass at once (a pipeline reading rows) pass this many.
    /// </summary>
    public int DataParallelInputs => _batching.DataParallelInputs(_encoder.Backend.ConcurrentBatches);

    /// <summary>
    /// How many inputs have been truncated so far (in <see cref="LongTextMode.Truncate"/>): texts or pairs longer than
    /// <see cref="TextEmbeddingSettings.MaximumTokens"/> whose end was dropped. Never reset; read it before and after a call.
    /// </summary>
    public long TruncatedCount => Interlocked.Read(ref _truncated);

    /// <summary>The vector of one text (or pair).</summary>
    public float[] Embed(string text, string? pair = null) => Embed([text], pair is null ? null : [pair])[0];

    /// <summary>
    /// One vector per text (or per pair: <paramref name="pairs"/>[i], when given and not null, is text i's second
    /// text), in input order.
    /// </summary>
    /// <exception cref="ArgumentException">Pairs are given with a different count, or with <see cref="LongTextMode.SlidingWindow"/>.</exception>
    public float[][] Embed(IReadOnlyList<string> texts, IReadOnlyList<string?>? pairs = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (pairs is not null && pairs.Count != texts.Count)
            throw new ArgumentException($"{pairs.Count} second texts for {texts.Count} texts.", nameof(pairs));
        if (pairs is not null && Settings.LongTextMode == LongTextMode.SlidingWindow && pairs.Any(p => p is not null))
            throw new ArgumentException("Sliding windows embed single texts, not pairs; use LongTextMode.Truncate for pairs.", nameof(pairs));
        var inputs = new (string Text, string? Pair)[texts.Count];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = (Prepare(texts[i]), pairs?[i] is { } pair ? Prepare(pair) : null);
        var windows = Windows(_tokenizer.EncodeBatch(inputs, _encoding, _degreeOfParallelism ?? -1));
        return Combine(windows, PoolWindows(windows), texts.Count);
    }

    private string Prepare(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Settings.LowercaseText ? text.ToLowerInvariant() : text;
    }

    /// <summary>The sequences to encode: one per input, plus its overflowing windows in sliding-window mode.</summary>
    private List<(int Input, EncodingResult Encoding)> Windows(IReadOnlyList<EncodingResult> encodings)
    {
        var windows = new List<(int, EncodingResult)>(encodings.Count);
        var truncated = 0;
        for (var i = 0; i < encodings.Count; i++)
        {
            var encoding = encodings[i];
            windows.Add((i, encoding));
            if (encoding.Overflowing.Count == 0) continue;
            if (Settings.LongTextMode == LongTextMode.SlidingWindow) windows.AddRange(encoding.Overflowing.Select(w => (i, w)));
            else truncated++;
        }
        Interlocked.Add(ref _truncated, truncated);
        return windows;
    }

    /// <summary>Pooled (not normalised) vectors of every window, run in the batches of the <see cref="InferenceBatching"/> policy.</summary>
    private float[][] PoolWindows(List<(int Input, EncodingResult Encoding)> windows)
    {
        var pooled = new float[windows.Count][];
        _batching.Run([.. windows.Select(w => w.Encoding.Length)], _encoder.Backend, rows => PoolBatch(rows, windows, pooled));
        return pooled;
    }

    /// <summary>Encodes and pools the windows <paramref name="rows"/> on a session no other batch is using.</summary>
    private void PoolBatch(int[] rows, List<(int Input, EncodingResult Encoding)> windows, float[][] pooled)
    {
        var encodings = rows.Select(r => windows[r].Encoding).ToArray();
        var batch = EncoderBatch.Pad([.. encodings.Select(e => e.Ids)], [.. encodings.Select(e => e.TypeIds)], _encoder.Config.PadTokenId);
        _workspaces.Use(workspace =>
        {
            var hidden = workspace.Session.Forward(batch); // (B, T, C)
            var vectors = workspace.Pooler.Forward(hidden, batch.AttentionMask, training: false); // (B, D)
            for (var b = 0; b < rows.Length; b++) pooled[rows[b]] = vectors.Span.Slice(b * Dimension, Dimension).ToArray();
        });
    }

    /// <summary>Each input's vector: its window's, or its windows' mean weighted by token count; then normalised when set.</summary>
    private float[][] Combine(List<(int Input, EncodingResult Encoding)> windows, float[][] pooled, int count)
    {
        var result = new float[count][];
        var weights = new double[count];
        for (var w = 0; w < windows.Count; w++)
        {
            var (input, encoding) = windows[w];
            if (result[input] is null)
            {
                result[input] = pooled[w];
                weights[input] = encoding.Length;
                continue;
            }
            WeightedMerge(result[input], weights[input], pooled[w], encoding.Length);
            weights[input] += encoding.Length;
        }
        if (Settings.Normalize)
        {
            foreach (var vector in result) L2Normalize.Forward(vector, vector, rows: 1);
        }
        return result;
    }

    /// <summary>mean = (mean·n + v·m) / (n + m), in place.</summary>
    private static void WeightedMerge(float[] mean, double weight, float[] vector, int tokens)
    {
        var total = weight + tokens;
        for (var c = 0; c < mean.Length; c++) mean[c] = (float)((mean[c] * weight + vector[c] * (double)tokens) / total);
    }
}
