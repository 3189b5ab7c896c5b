using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;
using MLNet.Transformers.Tokenizers.PreTokenization;
using MLNet.Transformers.Tokenizers.Processing;

namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>
/// Learns a BERT WordPiece vocabulary from a corpus, as Hugging Face's <c>WordPieceTrainer</c> does: words cut by
/// the BERT normalizer and pre-tokenizer, byte-pair merges over characters with <c>##</c> on the ones inside a word,
/// every token of the merges kept as the vocabulary.
/// </summary>
public static class WordPieceTrainer
{
    /// <summary>BERT's special tokens, in the order they take ids 0 to 4.</summary>
    public static IReadOnlyList<string> BertSpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Trains a vocabulary and returns a BERT tokenizer using it.</summary>
    /// <param name="corpus">The texts to learn from.</param>
    /// <param name="options">Size and frequency threshold; special tokens default to <see cref="BertSpecialTokens"/>.</param>
    /// <param name="lowercase">Lower-case (and strip accents), as an uncased BERT. Default true.</param>
    public static Tokenizer Train(IEnumerable<string> corpus, BpeTrainerOptions? options = null, bool lowercase = true)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new BpeTrainerOptions();
        if (options.SpecialTokens.Count == 0) options = options with { SpecialTokens = BertSpecialTokens };
        var normalizer = new BertNormalizer(lowercase: lowercase);
        var counting = new Tokenizer(new WordPieceModel(new Vocabulary([new("[UNK]", 0)])), normalizer, new BertPreTokenizer());
        var learned = VocabularyBuilder.Build(WordCounter.Count(counting, corpus), [], "##", options);

        var vocabulary = new Vocabulary(learned.Tokens.Select((token, id) => new KeyValuePair<string, int>(token, id)));
        var special = options.SpecialTokens.Select(token => new AddedToken(token, learned.Tokens.IndexOf(token), Special: true)).ToArray();
        var unknown = options.SpecialTokens.Contains("[UNK]") ? "[UNK]" : options.SpecialTokens[0];
        var postProcessor = vocabulary.TryGetId("[CLS]", out var cls) && vocabulary.TryGetId("[SEP]", out var sep) ? PostProcessor.Bert(cls, sep) : null;
        return new Tokenizer(new WordPieceModel(vocabulary, unknown), normalizer, new BertPreTokenizer(), postProcessor,
            new WordPieceDecoder(), special);
    }
}
