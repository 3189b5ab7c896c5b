namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>Finds out what a tokenizer path holds and loads it.</summary>
public static class TokenizerLoader
{
    /// <summary>The file names a checkpoint directory is searched for.</summary>
    public const string TokenizerJson = "tokenizer.json", VocabTxt = "vocab.txt", VocabJson = "vocab.json", MergesTxt = "merges.txt";

    /// <summary>
    /// Loads a <c>tokenizer.json</c>; a <c>vocab.txt</c> (BERT WordPiece: uncased unless a <c>tokenizer_config.json</c>
    /// beside it says <c>do_lower_case: false</c>); or a directory with a <c>tokenizer.json</c>, a <c>vocab.txt</c>,
    /// or <c>vocab.json</c> + <c>merges.txt</c> (GPT-2 byte-level BPE), tried in that order.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing loadable is at <paramref name="path"/>.</exception>
    /// <exception cref="TokenizerFormatException">A file is malformed or uses an unsupported component.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return LoadDirectory(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such tokenizer file or directory.", path);
        return Path.GetFileName(path).EndsWith(".txt", StringComparison.OrdinalIgnoreCase)
            ? BertVocabularyLoader.Load(path)
            : TokenizerJsonReader.Load(path);
    }

    private static Tokenizer LoadDirectory(string directory)
    {
        var json = Path.Combine(directory, TokenizerJson);
        if (File.Exists(json)) return TokenizerJsonReader.Load(json);
        var vocabTxt = Path.Combine(directory, VocabTxt);
        if (File.Exists(vocabTxt)) return BertVocabularyLoader.Load(vocabTxt);
        var vocabJson = Path.Combine(directory, VocabJson);
        var merges = Path.Combine(directory, MergesTxt);
        if (File.Exists(vocabJson) && File.Exists(merges)) return Gpt2FilesLoader.Load(vocabJson, merges);
        throw new FileNotFoundException(
            $"{directory}: no {TokenizerJson}, {VocabTxt}, or {VocabJson} + {MergesTxt} in this directory.", directory);
    }
}
