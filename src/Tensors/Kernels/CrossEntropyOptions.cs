namespace MLNet.Transformers.Tensors;

/// <summary>Options of <see cref="CrossEntropy"/>, with <c>torch.nn.functional.cross_entropy</c>'s defaults.</summary>
public sealed class CrossEntropyOptions
{
    /// <summary>Targets equal to this are skipped (no loss, no gradient, not counted). Default −100.</summary>
    public int IgnoreIndex { get; init; } = -100;

    /// <summary>ε: the target distribution is (1 − ε)·one-hot + ε/classes. Default 0.</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Per-class weights (length = classes), or null for equal weights. Default null.</summary>
    public float[]? ClassWeights { get; init; }
}
