using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.PreTokenization;

namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>
/// Learns a GPT-2-style byte-level BPE vocabulary from a corpus: words cut by the byte-level pre-tokenizer, all 256
/// byte characters in the alphabet (so nothing is ever unknown), then the most frequent pairs merged.
/// </summary>
public static class ByteLevelBpeTrainer
{
    /// <summary>Trains merges and returns a GPT-2-style tokenizer using them.</summary>
    /// <param name="corpus">The texts to learn from.</param>
    /// <param name="options">Size, frequency threshold and special tokens (default <c>&lt;|endoftext|&gt;</c>).</param>
    public static Tokenizer Train(IEnumerable<string> corpus, BpeTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new BpeTrainerOptions();
        if (options.SpecialTokens.Count == 0) options = options with { SpecialTokens = ["<|endoftext|>"] };
        var alphabet = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ByteToChar((byte)b).ToString()).ToArray();
        var preTokenizer = new ByteLevelPreTokenizer(addPrefixSpace: false);
        var counting = new Tokenizer(new BpeModel(new Vocabulary(alphabet.Select((c, i) => new KeyValuePair<string, int>(c, i))), []),
            preTokenizer: preTokenizer);
        var learned = VocabularyBuilder.Build(WordCounter.Count(counting, corpus), alphabet, continuingPrefix: null, options);

        var vocabulary = new Vocabulary(learned.Tokens.Select((token, id) => new KeyValuePair<string, int>(token, id)));
        var special = options.SpecialTokens.Select(token => new AddedToken(token, learned.Tokens.IndexOf(token), Special: true)).ToArray();
        return new Tokenizer(new BpeModel(vocabulary, learned.Merges), null, preTokenizer, null, new ByteLevelDecoder(), special);
    }
}
