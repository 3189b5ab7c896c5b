namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>
/// The files a tokenizer was loaded from (<c>tokenizer.json</c>; or <c>vocab.txt</c> with its
/// <c>tokenizer_config.json</c> / <c>special_tokens_map.json</c>; or <c>vocab.json</c> + <c>merges.txt</c>), kept as
/// bytes so a model zip or a checkpoint directory carries the exact tokenizer.
/// </summary>
public sealed class TokenizerFiles
{
    private static readonly string[] VocabularyCompanions = ["tokenizer_config.json", "special_tokens_map.json"];

    /// <summary>Every file name a tokenizer directory may hold, as Hugging Face names them.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = [TokenizerLoader.TokenizerJson, TokenizerLoader.VocabTxt,
        TokenizerLoader.VocabJson, TokenizerLoader.MergesTxt, .. VocabularyCompanions];

    private TokenizerFiles(IReadOnlyDictionary<string, byte[]> files) => Files = files;

    /// <summary>File name to contents.</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; }

    /// <summary>The files of the tokenizer at <paramref name="path"/> (a file or a directory), as <see cref="Tokenizer.Load"/> picks them.</summary>
    /// <exception cref="FileNotFoundException">No tokenizer is at the path.</exception>
    public static TokenizerFiles FromPath(string path)
    {
        string[] names;
        string directory;
        if (Directory.Exists(path))
        {
            directory = path;
            names = File.Exists(Path.Combine(path, TokenizerLoader.TokenizerJson)) ? [TokenizerLoader.TokenizerJson]
                : File.Exists(Path.Combine(path, TokenizerLoader.VocabTxt)) ? [TokenizerLoader.VocabTxt, .. VocabularyCompanions]
                : [TokenizerLoader.VocabJson, TokenizerLoader.MergesTxt];
        }
        else
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such tokenizer file or directory.", path);
            directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var name = Path.GetFileName(path);
            names = name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? [name, .. VocabularyCompanions] : [name];
        }
        var files = names.Where(n => File.Exists(Path.Combine(directory, n)))
            .ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(directory, n)), StringComparer.Ordinal);
        if (files.Count == 0) throw new FileNotFoundException($"{path}: no tokenizer files found.", path);
        return new TokenizerFiles(files);
    }

    /// <summary>Files read back from a model zip.</summary>
    public static TokenizerFiles FromContents(IReadOnlyDictionary<string, byte[]> files) => new(files);

    /// <summary>Writes the files into <paramref name="directory"/>.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, bytes) in Files) File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }

    /// <summary>Loads the tokenizer these files describe (through a temporary directory).</summary>
    public Tokenizer Load()
    {
        var directory = Directory.CreateTempSubdirectory("tokenizer-").FullName;
        try
        {
            WriteTo(directory);
            var main = Files.Keys.FirstOrDefault(n => n.EndsWith(".json", StringComparison.Ordinal) && n != "vocab.json"
                && !VocabularyCompanions.Contains(n)) ?? Files.Keys.FirstOrDefault(n => n.EndsWith(".txt", StringComparison.Ordinal)
                && n != TokenizerLoader.MergesTxt);
            return Tokenizer.Load(main is null ? directory : Path.Combine(directory, main));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
