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

    /// <summary>Writes every file as an entry of a model zip component.</summary>
    public void Save(Data.ModelSaveContext ctx)
    {
        foreach (var (name, bytes) in Files)
        {
            using var entry = ctx.CreateEntry(name);
            entry.Write(bytes);
        }
    }

    /// <summary>The tokenizer files a component saved with <see cref="Save"/>.</summary>
    public static TokenizerFiles Load(Data.ModelLoadContext ctx) => new(Names.Where(ctx.ContainsEntry).ToDictionary(name => name, name =>
    {
        using var entry = ctx.OpenEntry(name);
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }));

    public TokenizerFiles(IReadOnlyDictionary<string, byte[]> files) => Files = files;

    /// <summary>File name to content, for the names of <see cref="Names"/> that exist.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The checkpoint settings files read beside a vocabulary.</summary>
    private static readonly string[] SettingsNames = ["tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>
    /// The tokenizer files of <paramref name="path"/>: every file of <see cref="Names"/> in a directory, or one
    /// tokenizer file with the settings files beside it.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    public static TokenizerFiles Read(string path)
    {
        if (!Directory.Exists(path) && !File.Exists(path)) throw new FileNotFoundException($"{path}: no such tokenizer file or directory.", path);
        var (directory, names) = Directory.Exists(path)
            ? (path, Names)
            : (Path.GetDirectoryName(Path.GetFullPath(path))!, [Path.GetFileName(path), .. SettingsNames]);
        return new(names.Distinct()
            .Where(name => File.Exists(Path.Combine(directory, name)))
            .ToDictionary(name => name, name => File.ReadAllBytes(Path.Combine(directory, name))));
    }

    /// <summary>Loads the tokenizer these files describe.</summary>
    public Tokenizer CreateTokenizer()
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
