namespace MLNet.Transformers.Models.Checkpoints.Torch;

/// <summary>A reference to a global (<c>module.name</c>) in a pickle; only whitelisted ones are ever created.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A dict or OrderedDict from a pickle, keeping insertion order.</summary>
internal sealed class PickleDictionary : List<KeyValuePair<object?, object?>>;

/// <summary>A tensor storage of a PyTorch zip checkpoint: its element type and its file <c>data/KEY</c>.</summary>
internal sealed record TorchStorage(TensorDType DType, string Key, long ElementCount);

/// <summary>A tensor in a PyTorch state dict: a view of a storage at an element offset with a shape and strides.</summary>
internal sealed record TorchTensor(TorchStorage Storage, long Offset, long[] Shape, long[] Stride)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, static (p, d) => checked(p * d));

    /// <summary>Whether the elements lie back to back in row-major order (dimensions of size 1 may have any stride).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (var d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Stride[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }
}
