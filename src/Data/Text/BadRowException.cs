namespace MLNet.Transformers.Data;

/// <summary>A row of a text file could not be read; says which file, which line and why.</summary>
public sealed class BadRowException : FormatException
{
    /// <summary>Creates the exception for line <paramref name="lineNumber"/> of <paramref name="path"/>.</summary>
    public BadRowException(string path, long lineNumber, string reason)
        : base($"{path} line {lineNumber}: {reason}")
    {
        Path = path;
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The file (or stream description) the row is in.</summary>
    public string Path { get; }

    /// <summary>The 1-based line the row starts on.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with the row.</summary>
    public string Reason { get; }
}

/// <summary>What a <see cref="TextLoader"/> does with a row it cannot read.</summary>
public enum BadRowHandling
{
    /// <summary>Throw a <see cref="BadRowException"/> (the default).</summary>
    Fail,

    /// <summary>Leave the row out, report it to <see cref="TextLoader.Options.OnBadRow"/> when set, and go on.</summary>
    Skip,
}
