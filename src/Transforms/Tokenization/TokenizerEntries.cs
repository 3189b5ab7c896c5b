using System.Text.Json;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// A component's tokenizer files as entries of the model zip, so a saved pipeline carries its tokenizer: a list of
/// the files' names, then one entry per file.
/// </summary>
internal static class TokenizerEntries
{
    private const string ListEntry = "tokenizer-files.json";

    /// <summary>Writes the list of files and every file as an entry of the component.</summary>
    public static void Save(ModelWriter writer, TokenizerFiles files)
    {
        writer.WriteJson(ListEntry, files.Files.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (name, bytes) in files.Files) writer.WriteBytes(name, bytes);
    }

    /// <summary>The tokenizer files a component saved with <see cref="Save"/>, and the tokenizer they load.</summary>
    /// <exception cref="InvalidDataException">The list or a file is missing or damaged; the message names the entry.</exception>
    public static (TokenizerFiles Files, Tokenizer Tokenizer) Load(ModelReader reader)
    {
        var names = reader.ReadJson<string[]>(ListEntry);
        if (names.Length == 0 || names.Distinct(StringComparer.Ordinal).Count() != names.Length || !names.All(TokenizerFiles.KnownNames.Contains))
            throw reader.Corrupt(ListEntry, $"[{string.Join(", ", names)}], not distinct tokenizer file names of {string.Join(", ", TokenizerFiles.KnownNames)}");
        var files = TokenizerFiles.FromContents(names.ToDictionary(name => name, reader.ReadBytes, StringComparer.Ordinal));
        try
        {
            return (files, files.Load());
        }
        catch (Exception error) when (error is TokenizerFormatException or FileNotFoundException or InvalidDataException or JsonException)
        {
            throw new InvalidDataException(
                $"Model entries {string.Join(", ", names.Select(name => $"'{reader.PathOf(name)}'"))} do not load as a tokenizer: {error.Message}", error);
        }
    }
}
