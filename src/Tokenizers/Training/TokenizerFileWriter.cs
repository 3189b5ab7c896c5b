using System.Text;
using System.Text.Json;
using MLNet.Transformers.Tokenizers.Models;

namespace MLNet.Transformers.Tokenizers.Training;

/// <summary>Writes vocabularies in the files Hugging Face loads: <c>vocab.txt</c> (WordPiece), <c>vocab.json</c> + <c>merges.txt</c> (BPE).</summary>
public static class TokenizerFileWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes a WordPiece vocabulary as <c>vocab.txt</c>: one token per line in id order.</summary>
    /// <exception cref="ArgumentException">The ids are not contiguous from 0 (a line number cannot express them).</exception>
    public static void WriteVocabTxt(Vocabulary vocabulary, string path)
    {
        var lines = new string[vocabulary.IdLimit];
        for (var id = 0; id < lines.Length; id++)
            lines[id] = vocabulary.GetToken(id) ?? throw new ArgumentException($"The vocabulary has no token with id {id}.", nameof(vocabulary));
        File.WriteAllText(path, string.Join('\n', lines) + "\n", Utf8);
    }

    /// <summary>Writes a BPE model as <c>vocab.json</c> (token to id) and <c>merges.txt</c> (with GPT-2's version line).</summary>
    public static void WriteBpeFiles(BpeModel model, string vocabPath, string mergesPath)
    {
        var ordered = model.Vocabulary.Entries.OrderBy(entry => entry.Value).ToDictionary(entry => entry.Key, entry => entry.Value);
        File.WriteAllText(vocabPath, JsonSerializer.Serialize(ordered), Utf8);
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in model.Merges) merges.Append(left).Append(' ').Append(right).Append('\n');
        File.WriteAllText(mergesPath, merges.ToString(), Utf8);
    }
}
