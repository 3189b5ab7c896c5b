using System.IO.Compression;

namespace MLNet.Transformers.Models.Checkpoints.Torch;

/// <summary>
/// Reads a <c>pytorch_model.bin</c> saved by <c>torch.save(state_dict)</c> (the zip format of torch 1.6 and later)
/// without executing pickle code: <see cref="RestrictedUnpickler"/> accepts only tensor records, so a malicious
/// file gets an error, not code execution.
/// </summary>
public sealed class TorchCheckpointReader : ITensorSource
{
    private const string PickleName = "data.pkl";
    private const string ByteOrderName = "byteorder";
    private readonly ZipArchive _archive;
    private readonly string _root;
    private readonly Dictionary<string, TorchTensor> _tensors;
    private readonly Dictionary<string, byte[]> _storages = new(StringComparer.Ordinal);

    private TorchCheckpointReader(string location, ZipArchive archive, string root, Dictionary<string, TorchTensor> tensors, List<string> names)
    {
        Location = location;
        _archive = archive;
        _root = root;
        _tensors = tensors;
        Names = names;
    }

    /// <summary>Opens a PyTorch zip checkpoint and reads its state dict's tensor records.</summary>
    /// <exception cref="InvalidDataException">Not a zip checkpoint, or its pickle holds anything but tensors.</exception>
    public static TorchCheckpointReader Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{path}: not a zip-format PyTorch checkpoint (files saved by torch older than 1.6 are not supported; re-save them or convert to safetensors).", e);
        }
        try
        {
            var pickles = archive.Entries.Where(e => e.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1) throw new InvalidDataException($"{path}: expected one {PickleName} in the archive, found {pickles.Count}.");
            var root = pickles[0].FullName[..^PickleName.Length];
            CheckByteOrder(archive, root, path);
            var state = RestrictedUnpickler.Load(ReadAll(pickles[0], path), path) as PickleDictionary
                ?? throw new InvalidDataException($"{path}: the pickle is not a state dict.");
            var tensors = new Dictionary<string, TorchTensor>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var (key, value) in state)
            {
                if (key is not string name || value is not TorchTensor tensor)
                    throw new InvalidDataException($"{path}: state dict entry '{key}' is not a named tensor.");
                if (!tensors.TryAdd(name, tensor)) throw new InvalidDataException($"{path}: tensor '{name}' appears twice.");
                names.Add(name);
            }
            return new TorchCheckpointReader(path, archive, root, tensors, names);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public TensorInfo Describe(string name) => new(Tensor(name).Storage.DType, Tensor(name).Shape);

    /// <inheritdoc />
    public void Read(string name, Span<float> destination)
    {
        var tensor = Tensor(name);
        var what = $"{Location}: tensor '{name}'";
        var size = tensor.Storage.DType.SizeOf();
        var storage = Storage(tensor.Storage, what);
        if (tensor.Offset + tensor.ElementCount > tensor.Storage.ElementCount)
            throw new InvalidDataException($"{what} runs past the end of its storage.");
        var bytes = storage.AsSpan(checked((int)(tensor.Offset * size)), checked((int)(tensor.ElementCount * size)));
        FloatConversion.ToSingle(bytes, tensor.Storage.DType, destination, what);
    }

    private TorchTensor Tensor(string name) =>
        _tensors.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"{Location}: no tensor named '{name}'.");

    private byte[] Storage(TorchStorage storage, string what)
    {
        if (_storages.TryGetValue(storage.Key, out var bytes)) return bytes;
        var entry = _archive.GetEntry($"{_root}data/{storage.Key}")
            ?? throw new InvalidDataException($"{what}: its storage data/{storage.Key} is missing from the archive.");
        if (entry.Length != storage.ElementCount * storage.DType.SizeOf())
            throw new InvalidDataException($"{what}: storage data/{storage.Key} has {entry.Length} bytes, expected {storage.ElementCount * storage.DType.SizeOf()}.");
        return _storages[storage.Key] = ReadAll(entry, Location);
    }

    private static void CheckByteOrder(ZipArchive archive, string root, string path)
    {
        if (archive.GetEntry(root + ByteOrderName) is not { } entry) return;
        using var reader = new StreamReader(entry.Open());
        if (reader.ReadToEnd().Trim() != "little")
            throw new InvalidDataException($"{path}: only little-endian checkpoints are supported.");
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > Array.MaxLength)
            throw new InvalidDataException($"{path}: archive entry {entry.FullName} declares {entry.Length} bytes, more than one array can hold.");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        try
        {
            stream.ReadExactly(bytes);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path}: archive entry {entry.FullName} is shorter than the {entry.Length} bytes it declares.", e);
        }
        return bytes;
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => _archive.Dispose();
}
