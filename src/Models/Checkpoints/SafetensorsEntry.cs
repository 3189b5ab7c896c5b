namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>One tensor listed in a safetensors header.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="Info">Element type and shape.</param>
/// <param name="Begin">First byte, relative to the start of the data section.</param>
/// <param name="End">One past the last byte, relative to the start of the data section.</param>
public sealed record SafetensorsEntry(string Name, TensorInfo Info, long Begin, long End)
{
    /// <summary>Number of bytes the tensor occupies.</summary>
    public long ByteLength => End - Begin;
}
