using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.Normalization;
using MLNet.Transformers.Tokenizers.PreTokenization;
using MLNet.Transformers.Tokenizers.Processing;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>
/// A BERT tokenizer from a bare <c>vocab.txt</c> (one token per line, id = line number), configured as Hugging
/// Face's <c>BertTokenizerFast</c> builds it: BERT normalizer and pre-tokenizer, WordPiece, <c>[CLS] A [SEP]</c>.
/// </summary>
public static class BertVocabularyLoader
{
    /// <summary>Reads <paramref name="path"/>; casing and special tokens come from the checkpoint files beside it, when present.</summary>
    public static Tokenizer Load(string path)
    {
        var vocabulary = ReadVocabulary(path);
        var config = CheckpointConfig.Read(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lowercase = config.Bool("do_lower_case", fallback: true);
        var normalizer = new BertNormalizer(cleanText: true, handleChineseChars: config.Bool("tokenize_chinese_chars", true),
            stripAccents: config.OptionalBool("strip_accents"), lowercase: lowercase);

        string[] roles = ["pad_token", "unk_token", "cls_token", "sep_token", "mask_token"];
        string[] defaults = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
        var special = roles.Select((role, i) => config.Token(role, defaults[i])).ToArray();
        var addedTokens = new List<AddedToken>();
        foreach (var token in special)
        {
            if (!vocabulary.TryGetId(token, out var id))
                throw new TokenizerFormatException(path, $"the special token '{token}' is not in the vocabulary.");
            addedTokens.Add(new AddedToken(token, id, Special: true));
        }
        vocabulary.TryGetId(special[2], out var clsId);
        vocabulary.TryGetId(special[3], out var sepId);

        return new Tokenizer(new WordPieceModel(vocabulary, unknownToken: special[1]), normalizer, new BertPreTokenizer(),
            PostProcessor.Bert(clsId, sepId), new WordPieceDecoder(), addedTokens);
    }

    /// <summary>Reads a WordPiece vocabulary: one token per line, its id the line's zero-based number.</summary>
    public static Vocabulary ReadVocabulary(string path)
    {
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = 0;
        foreach (var line in File.ReadLines(path))
        {
            var token = line.TrimEnd('\r');
            if (token.Length == 0)
                throw new TokenizerFormatException(path, $"line {id + 1} is empty; every line must hold one token.");
            entries.TryAdd(token, id);
            id++;
        }
        if (entries.Count == 0) throw new TokenizerFormatException(path, "the vocabulary is empty.");
        return new Vocabulary(entries);
    }
}
