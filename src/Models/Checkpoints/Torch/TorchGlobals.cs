namespace MLNet.Transformers.Models.Checkpoints.Torch;

/// <summary>
/// The only globals a state-dict pickle may name, and what calling each builds. Nothing here runs user code:
/// a call is a pure record construction from already-parsed values.
/// </summary>
internal static class TorchGlobals
{
    private const string TorchModule = "torch";
    private static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    private static readonly PickleGlobal RebuildTensor = new("torch._utils", "_rebuild_tensor_v2");
    private static readonly PickleGlobal RebuildParameter = new("torch._utils", "_rebuild_parameter");

    private static readonly Dictionary<string, TensorDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = TensorDType.F32,
        ["HalfStorage"] = TensorDType.F16,
        ["BFloat16Storage"] = TensorDType.BF16,
        ["DoubleStorage"] = TensorDType.F64,
        ["LongStorage"] = TensorDType.I64,
        ["IntStorage"] = TensorDType.I32,
        ["ShortStorage"] = TensorDType.I16,
        ["CharStorage"] = TensorDType.I8,
        ["ByteStorage"] = TensorDType.U8,
        ["BoolStorage"] = TensorDType.Bool,
    };

    /// <summary>Whether the global may appear in a checkpoint pickle.</summary>
    public static bool IsAllowed(PickleGlobal global) =>
        global == OrderedDict || global == RebuildTensor || global == RebuildParameter || IsStorageType(global, out _);

    /// <summary>Whether the global is a storage class such as <c>torch.FloatStorage</c>, and its element type.</summary>
    public static bool IsStorageType(PickleGlobal global, out TensorDType dtype)
    {
        dtype = default;
        return global.Module == TorchModule && StorageTypes.TryGetValue(global.Name, out dtype);
    }

    /// <summary>Builds what calling an allowed global with <paramref name="args"/> returns.</summary>
    /// <exception cref="InvalidDataException">The global may not be called, or its arguments have the wrong form.</exception>
    public static object Call(PickleGlobal global, object?[] args, string location)
    {
        if (global == OrderedDict && args.Length == 0) return new PickleDictionary();
        if (global == RebuildParameter && args.Length >= 1 && args[0] is TorchTensor parameter) return parameter;
        if (global == RebuildTensor && args.Length >= 4 && args[0] is TorchStorage storage
            && args[1] is long offset && args[2] is object?[] shape && args[3] is object?[] stride && shape.Length == stride.Length)
        {
            var tensor = new TorchTensor(storage, offset, ToLongs(shape, location), ToLongs(stride, location));
            if (offset < 0 || (tensor.ElementCount > 0 && !tensor.IsContiguous))
                throw new InvalidDataException($"{location}: a tensor is not a contiguous view of its storage.");
            return tensor;
        }
        throw new InvalidDataException($"{location}: the pickle calls {global} with arguments a state dict does not use.");
    }

    /// <summary>Interprets a persistent id: <c>('storage', StorageType, key, location, numel)</c>.</summary>
    public static TorchStorage Storage(object? persistentId, string location)
    {
        if (persistentId is object?[] { Length: 5 } id && id[0] is "storage" && id[1] is PickleGlobal type
            && IsStorageType(type, out var dtype) && id[2] is string key && id[4] is long count && count >= 0)
            return new TorchStorage(dtype, key, count);
        throw new InvalidDataException($"{location}: a persistent id is not a tensor storage reference.");
    }

    private static long[] ToLongs(object?[] values, string location) =>
        [.. values.Select(v => v is long l && l >= 0 ? l : throw new InvalidDataException($"{location}: a tensor size or stride is not a non-negative integer."))];
}
