namespace MLNet.Transformers.Tensors;

/// <summary>
/// The degree of parallelism the engine's kernels use. Results are bit-identical from run to run at the same degree.
/// </summary>
public static class Parallelism
{
    private static int _degree = Environment.ProcessorCount;

    /// <summary>Number of worker threads a kernel may use; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int Degree
    {
        get => _degree;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _degree = value;
        }
    }
}
