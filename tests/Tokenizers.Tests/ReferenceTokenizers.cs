using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Loading;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.PreTokenization;
using MLNet.Transformers.Tokenizers.Processing;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Tokenizers.Tests;

/// <summary>Our tokenizers configured as the reference script configures Hugging Face's, by the same names.</summary>
internal static class ReferenceTokenizers
{
    public static readonly string[] Names = ["bert-json", "bert-vocab", "gpt2", "roberta"];

    public static string MiniLmDirectory => TestPaths.SharedPath("models", "all-MiniLM-L6-v2-no-weights");

    public static string BertVocab => TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt");

    public static string Gpt2Directory => TestPaths.SharedPath("tokenizers", "gpt2");

    /// <summary>A fresh tokenizer; callers pass their own truncation and padding per call.</summary>
    public static Tokenizer Create(string name) => name switch
    {
        // The reference disables the file's batch padding so that encodings compare unpadded.
        "bert-json" => WithoutPadding(Tokenizer.Load(Path.Combine(MiniLmDirectory, "tokenizer.json"))),
        "bert-vocab" => Tokenizer.Load(BertVocab),
        "gpt2" => Tokenizer.Load(Gpt2Directory),
        "roberta" => Roberta(),
        _ => throw new ArgumentException($"No reference tokenizer named {name}.", nameof(name)),
    };

    private static Tokenizer WithoutPadding(Tokenizer tokenizer) =>
        new(tokenizer.Model, tokenizer.Normalizer, tokenizer.PreTokenizer, tokenizer.PostProcessor, tokenizer.Decoder, tokenizer.AddedTokens)
        {
            Settings = tokenizer.Settings with { Padding = null },
        };

    /// <summary>
    /// RoBERTa's configuration on the GPT-2 vocabulary, &lt;|endoftext|&gt; standing in for &lt;s&gt; and &lt;/s&gt;,
    /// with two added tokens outside the vocabulary: &lt;mask&gt; (lstrip) and a whole-word one (rstrip).
    /// </summary>
    private static Tokenizer Roberta()
    {
        var vocabulary = Gpt2FilesLoader.ReadVocabulary(Path.Combine(Gpt2Directory, "vocab.json"));
        var merges = Gpt2FilesLoader.ReadMerges(Path.Combine(Gpt2Directory, "merges.txt"));
        vocabulary.TryGetId(Gpt2FilesLoader.EndOfText, out var endId);
        return new Tokenizer(new BpeModel(vocabulary, merges), null, new ByteLevelPreTokenizer(addPrefixSpace: true),
            PostProcessor.Roberta(endId, endId), new ByteLevelDecoder(),
            [
                new AddedToken(Gpt2FilesLoader.EndOfText, endId, Special: true) { Normalized = true },
                new AddedToken("<mask>", endId + 1, Special: true) { LStrip = true },
                new AddedToken("zzz", endId + 2, Special: false) { Normalized = false, SingleWord = true, RStrip = true },
            ]);
    }
}
