namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>A tokenizer file that cannot be loaded; the message names the file and what is wrong with it.</summary>
public sealed class TokenizerFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public TokenizerFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
    }

    /// <summary>The file that could not be loaded.</summary>
    public string FilePath { get; }
}
