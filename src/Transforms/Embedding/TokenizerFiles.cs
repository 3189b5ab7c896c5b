using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Loading;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// The bytes of a checkpoint's tokenizer files, kept so that a saved pipeline carries its tokenizer inside the one
/// model zip; loading writes them to a temporary folder that is removed once the tokenizer is read.
/// </summary>
internal sealed class TokenizerFiles
{
    /// <summary>Every file a tokenizer may be read from, as Hugging Face names them.</summary>
    public static readonly string[] Names =
    [
        TokenizerLoader.TokenizerJson, TokenizerLoader.VocabTxt, TokenizerLoader.VocabJson, TokenizerLoader.MergesTxt,
        "tokenizer_config.json", "special_tokens_map.json",
    ];

    public TokenizerFiles(IReadOnlyDictionary<string, byte[]> files) => Files = files;

    /// <summary>File name to content, for the names of <see cref="Names"/> that exist.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The tokenizer files found in <paramref name="directory"/>.</summary>
    public static TokenizerFiles Read(string directory) => new(Names
        .Where(name => File.Exists(Path.Combine(directory, name)))
        .ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(directory, name))));

    /// <summary>Loads the tokenizer these files describe.</summary>
    public Tokenizer Load()
    {
        var directory = Directory.CreateTempSubdirectory("mlnet-tokenizer-");
        try
        {
            foreach (var (name, bytes) in Files) File.WriteAllBytes(Path.Combine(directory.FullName, name), bytes);
            return Tokenizer.Load(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
