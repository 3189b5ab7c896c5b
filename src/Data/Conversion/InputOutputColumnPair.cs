namespace MLNet.Transformers.Data;

/// <summary>A column a step reads and the column it writes (the same name when no input is given).</summary>
public sealed record InputOutputColumnPair
{
    /// <summary>Writes <paramref name="outputColumnName"/> from <paramref name="inputColumnName"/> (default: the same column).</summary>
    public InputOutputColumnPair(string outputColumnName, string? inputColumnName = null)
    {
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    /// <summary>The column written.</summary>
    public string OutputColumnName { get; init; }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; init; }
}
