using Microsoft.ML.Tokenizers;
using MLNet.Transformers.Tokenizers.Interop;
using EncodingSettings = MLNet.Transformers.Tokenizers.EncodingSettings;
using OurTokenizer = MLNet.Transformers.Tokenizers.Tokenizer;

namespace MLNet.Transformers.Bench.Tokenizers;

/// <summary>
/// One tokenizer under test: the ids of one text (special tokens included, no truncation), and how it encodes a
/// batch of texts on one thread and on all cores. Peers run through their own public APIs, each set as close to
/// Hugging Face's configuration of the same files as its options allow.
/// </summary>
internal sealed class Contender
{
    /// <summary>Texts per work item when a tokenizer without a batch call runs on all cores (ours splits batches alike).</summary>
    private const int ChunkSize = 64;

    /// <summary>Room for the longest text's ids (FastBertTokenizer writes into a caller's buffer and truncates there).</summary>
    private const int MaxIds = 1 << 12;

    private readonly Func<string, long[], int> _encode;
    private readonly Func<string[], long> _oneThread;
    private readonly Func<string[], long> _allCores;

    private Contender(Func<string, long[], int> encode, Func<string[], long>? oneThread = null, Func<string[], long>? allCores = null)
    {
        _encode = encode;
        _oneThread = oneThread ?? (texts => { var ids = Buffer(); return texts.Sum(text => (long)encode(text, ids)); });
        _allCores = allCores ?? ParallelBatch;
    }

    /// <summary>
    /// ours-ids (our <see cref="HuggingFaceTokenizer"/> of the path through Microsoft's <c>EncodeToIds</c>, one text
    /// per call, as the .NET peers run), ours-encodings (our <c>Tokenizer.EncodeBatch</c>: full encodings, as Hugging
    /// Face's <c>encodeBatch</c> returns), ms-bert (Microsoft.ML.Tokenizers' BertTokenizer of a vocab.txt),
    /// ms-tiktoken-gpt2 (its Tiktoken GPT-2 encoding; the path is not read), fastbert (FastBertTokenizer of a vocab.txt).
    /// </summary>
    public static Contender Create(string name, string path) => name switch
    {
        "ours-ids" => ThroughMicrosoftApi(HuggingFaceTokenizer.Load(path)),
        "ours-encodings" => OurEncodings(OurTokenizer.Load(path)),
        "ms-bert" => MicrosoftBert(path),
        "ms-tiktoken-gpt2" => ThroughMicrosoftApi(TiktokenTokenizer.CreateForModel("gpt2")),
        "fastbert" => FastBert(path),
        _ => throw new ArgumentException($"no contender named '{name}' (ours-ids, ours-encodings, ms-bert, ms-tiktoken-gpt2, fastbert)", nameof(name)),
    };

    /// <summary>Writes the ids of <paramref name="text"/> into <paramref name="ids"/>; returns how many.</summary>
    public int Encode(string text, long[] ids) => _encode(text, ids);

    /// <summary>Encodes the batch on one thread or on all cores; returns its token count.</summary>
    public long EncodeBatch(string[] texts, bool allCores) => allCores ? _allCores(texts) : _oneThread(texts);

    /// <summary>A buffer for <see cref="Encode"/>.</summary>
    public static long[] Buffer() => new long[MaxIds];

    /// <summary>Ours as Hugging Face's peer: <c>EncodeBatch</c> (on one thread: <c>maxDegreeOfParallelism</c> 1), no truncation or padding.</summary>
    private static Contender OurEncodings(OurTokenizer tokenizer)
    {
        var settings = EncodingSettings.None;
        long Batch(string[] texts, int threads) => tokenizer.EncodeBatch(texts, settings, threads).Sum(encoding => (long)encoding.Length);
        return new Contender((text, ids) => Copy(tokenizer.Encode(text, settings: settings).Ids, ids), texts => Batch(texts, 1), texts => Batch(texts, -1));
    }

    private static Contender ThroughMicrosoftApi(Microsoft.ML.Tokenizers.Tokenizer tokenizer) =>
        new((text, ids) => Copy(tokenizer.EncodeToIds(text), ids));

    /// <summary>
    /// Lower-cased, accents stripped, CJK split (Hugging Face's uncased BertNormalizer). Called as a BertTokenizer:
    /// through the base Tokenizer type its EncodeToIds leaves out [CLS] and [SEP].
    /// </summary>
    private static Contender MicrosoftBert(string vocabTxt)
    {
        var tokenizer = BertTokenizer.Create(vocabTxt, new BertOptions
        {
            LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true, IndividuallyTokenizeCjk = true,
        });
        return new Contender((text, ids) => Copy(tokenizer.EncodeToIds(text), ids));
    }

    private static Contender FastBert(string vocabTxt)
    {
        var tokenizer = new FastBertTokenizer.BertTokenizer();
        using (var reader = File.OpenText(vocabTxt)) tokenizer.LoadVocabulary(reader, convertInputToLowercase: true);
        var masks = new ThreadLocal<long[]>(Buffer);
        return new Contender((text, ids) => tokenizer.Encode(text, ids, masks.Value!));
    }

    private static int Copy(IReadOnlyList<int> source, long[] target)
    {
        for (var i = 0; i < source.Count; i++) target[i] = source[i];
        return source.Count;
    }

    /// <summary>Single-text calls on all cores: chunks of <see cref="ChunkSize"/> texts, one buffer per chunk.</summary>
    private long ParallelBatch(string[] texts)
    {
        long tokens = 0;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, texts.Length, ChunkSize), range =>
        {
            var ids = Buffer();
            long chunk = 0;
            for (var i = range.Item1; i < range.Item2; i++) chunk += _encode(texts[i], ids);
            Interlocked.Add(ref tokens, chunk);
        });
        return tokens;
    }
}
