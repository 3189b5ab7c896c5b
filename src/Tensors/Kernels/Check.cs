namespace MLNet.Transformers.Tensors;

/// <summary>Argument checks shared by the kernels, with messages naming the offending argument.</summary>
internal static class Check
{
    public static void Length(ReadOnlySpan<float> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"{name} has {span.Length} elements, expected {expected}.", name);
    }

    public static void Length(ReadOnlySpan<int> span, int expected, string name)
    {
        if (span.Length != expected)
            throw new ArgumentException($"{name} has {span.Length} elements, expected {expected}.", name);
    }

    /// <summary>A mask is either empty (no mask) or one value per element.</summary>
    public static void OptionalLength(ReadOnlySpan<float> span, int expected, string name)
    {
        if (!span.IsEmpty) Length(span, expected, name);
    }
}
