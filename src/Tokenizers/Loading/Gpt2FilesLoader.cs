using System.Text.Json;
using MLNet.Transformers.Tokenizers.Decoding;
using MLNet.Transformers.Tokenizers.Models;
using MLNet.Transformers.Tokenizers.PreTokenization;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>
/// A GPT-2 byte-level BPE tokenizer from <c>vocab.json</c> + <c>merges.txt</c>: byte-level pre-tokenizer without a
/// prefix space, no special tokens added around the text, byte-level decoder; <c>&lt;|endoftext|&gt;</c> is an added
/// special token when the vocabulary has it.
/// </summary>
public static class Gpt2FilesLoader
{
    /// <summary>GPT-2's end-of-text token.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Reads the two files.</summary>
    public static Tokenizer Load(string vocabPath, string mergesPath)
    {
        var vocabulary = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath);
        BpeModel model;
        try
        {
            model = new BpeModel(vocabulary, merges);
        }
        catch (ArgumentException error)
        {
            throw new TokenizerFormatException(mergesPath, error.Message, error);
        }
        var added = vocabulary.TryGetId(EndOfText, out var endId) ? new[] { new AddedToken(EndOfText, endId, Special: true) } : [];
        return new Tokenizer(model, normalizer: null, new ByteLevelPreTokenizer(addPrefixSpace: false), postProcessor: null,
            new ByteLevelDecoder(), added);
    }

    /// <summary>Reads a <c>vocab.json</c>: one object mapping each token to its id.</summary>
    public static Vocabulary ReadVocabulary(string path)
    {
        try
        {
            var entries = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))
                ?? throw new TokenizerFormatException(path, "expected an object mapping tokens to ids, found null.");
            return new Vocabulary(entries);
        }
        catch (JsonException error)
        {
            throw new TokenizerFormatException(path, $"expected an object mapping tokens to ids ({error.Message}).", error);
        }
    }

    /// <summary>Reads a <c>merges.txt</c>: an optional <c>#version</c> line, then one "left right" pair per line, highest priority first.</summary>
    public static List<(string Left, string Right)> ReadMerges(string path)
    {
        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new TokenizerFormatException(path, $"line {lineNumber} is not two tokens separated by one space: '{line}'.");
            merges.Add((line[..space], line[(space + 1)..]));
        }
        return merges;
    }
}
