namespace MLNet.Transformers.Tensors;

/// <summary>
/// A reusable activation buffer: storage grows to the largest shape requested and is reused for smaller ones, so a
/// training loop allocates only while its batches keep growing. The first allocation is exact; a regrowth takes at
/// least <see cref="GrowthFactor"/> times the old capacity, so shapes that creep upwards (inference over
/// length-sorted batches) reallocate a few times instead of at every step. The returned tensor is cached per shape.
/// </summary>
public sealed class TensorBuffer
{
    /// <summary>The least factor by which a regrowth enlarges the storage.</summary>
    public const double GrowthFactor = 1.5;

    private float[] _storage = [];
    private Tensor? _view;

    /// <summary>A (d0) view over the buffer; contents are unspecified (left from earlier use).</summary>
    public Tensor Get(int d0) => Get([d0]);

    /// <summary>A (d0, d1) view over the buffer; contents are unspecified.</summary>
    public Tensor Get(int d0, int d1) => Matches(d0, d1) ? _view! : Get([d0, d1]);

    /// <summary>A (d0, d1, d2) view over the buffer; contents are unspecified.</summary>
    public Tensor Get(int d0, int d1, int d2) => Matches(d0, d1, d2) ? _view! : Get([d0, d1, d2]);

    /// <summary>A (d0, d1, d2, d3) view over the buffer; contents are unspecified.</summary>
    public Tensor Get(int d0, int d1, int d2, int d3) => Matches(d0, d1, d2, d3) ? _view! : Get([d0, d1, d2, d3]);

    /// <summary>Elements the buffer can hold without growing.</summary>
    public int Capacity => _storage.Length;

    private Tensor Get(int[] shape)
    {
        if (_view is not null && _view.Shape.SequenceEqual(shape)) return _view;
        var length = 1L;
        foreach (var dim in shape) length *= dim;
        if (length > _storage.Length) _storage = new float[Math.Max(length, (long)(_storage.Length * GrowthFactor))];
        _view = Tensor.Wrap(_storage, 0, shape);
        return _view;
    }

    private bool Matches(params ReadOnlySpan<int> shape) => _view is not null && _view.Shape.SequenceEqual(shape);
}
