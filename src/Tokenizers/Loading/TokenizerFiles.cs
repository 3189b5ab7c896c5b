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

    private readonly IReadOnlyDictionary<string, byte[]>? _files;

    private TokenizerFiles(IReadOnlyDictionary<string, byte[]>? files, string? notWritableReason)
    {
        _files = files;
        NotWritableReason = notWritableReason;
    }

    /// <summary>File name to contents.</summary>
    /// <exception cref="InvalidOperationException">The tokenizer has no files (<see cref="NotWritableReason"/> says why).</exception>
    public IReadOnlyDictionary<string, byte[]> Files => _files ?? throw new InvalidOperationException(NotWritableReason);

    /// <summary>Why the tokenizer cannot be written as files (one passed in as an object, not loaded from files); null when it can.</summary>
    public string? NotWritableReason { get; }

    /// <summary>Stands for a tokenizer that has no files: writing it (into a model zip, a checkpoint, beside an ONNX export) throws <paramref name="reason"/>.</summary>
    public static TokenizerFiles NotWritable(string reason) => new(null, reason);

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
        return new TokenizerFiles(files, null);
    }

    /// <summary>Files read back from a model zip.</summary>
    public static TokenizerFiles FromContents(IReadOnlyDictionary<string, byte[]> files) => new(files, null);

    /// <summary>Writes the files into <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidOperationException">The tokenizer has no files (<see cref="NotWritableReason"/> says why).</exception>
    public void WriteTo(string directory)
    {
        var files = Files;
        Directory.CreateDirectory(directory);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(directory, name), bytes);
    }

    /// <summary>Loads the tokenizer these files describe (through a temporary directory).</summary>
    public Tokenizer Load() => InTemporaryDirectory(Tokenizer.Load);

    /// <summary>
    /// The added tokens, special-token template and truncation these files describe; of a <c>tokenizer.json</c>
    /// these alone are read, so its model may be one we do not run (a Unigram model whose tokenizer Microsoft's reads).
    /// </summary>
    internal TokenizerProcessing LoadProcessing() => InTemporaryDirectory(path => Path.GetFileName(path) == TokenizerLoader.TokenizerJson
        ? TokenizerJsonReader.LoadProcessing(path)
        : TokenizerProcessing.Of(Tokenizer.Load(path)));

    /// <summary>Writes the files into a temporary directory and passes the main one (or the directory) to <paramref name="load"/>.</summary>
    private T InTemporaryDirectory<T>(Func<string, T> load)
    {
        var directory = Directory.CreateTempSubdirectory("tokenizer-").FullName;
        try
        {
            WriteTo(directory);
            var main = Files.Keys.FirstOrDefault(n => n.EndsWith(".json", StringComparison.Ordinal) && n != "vocab.json"
                && !VocabularyCompanions.Contains(n)) ?? Files.Keys.FirstOrDefault(n => n.EndsWith(".txt", StringComparison.Ordinal)
                && n != TokenizerLoader.MergesTxt);
            return load(main is null ? directory : Path.Combine(directory, main));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
