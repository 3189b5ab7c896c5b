namespace MLNet.Transformers.Models.Execution;

/// <summary>
/// A row-major single-precision tensor held by a <see cref="ComputeBackend"/>: managed floats for the managed engine,
/// a libtorch tensor on a CPU or GPU for the TorchSharp backend. Only its backend reads or writes its elements; the
/// model moves values in and out with <see cref="ComputeBackend.Upload"/> and <see cref="ComputeBackend.Download"/>.
/// </summary>
public abstract class DeviceTensor
{
    /// <summary>The dimensions, outermost first.</summary>
    public abstract ReadOnlySpan<int> Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length
    {
        get
        {
            var length = 1;
            foreach (var dim in Shape) length *= dim;
            return length;
        }
    }

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Size(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    /// <summary>A human-readable shape such as <c>(2, 3, 4)</c>.</summary>
    public override string ToString() => $"({string.Join(", ", Shape.ToArray())})";
}
