using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx.Export;

/// <summary>
/// Writes an exported model together with the files beside it that make it a checkpoint (<c>config.json</c>, the
/// tokenizer, sentence-transformers modules). Everything is written first into a staging folder in the target's
/// folder, then moved into place file by file with the <c>.onnx</c> last: every file appears complete or not at all,
/// the model never appears without its companions, and a failure leaves no staging folder behind.
/// </summary>
internal static class OnnxCheckpointFolder
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> and what <paramref name="writeCompanions"/> writes
    /// into the folder it is given beside it; returns the full paths written, the model last.
    /// </summary>
    /// <exception cref="ArgumentException">The path does not end in <c>.onnx</c> or is a folder.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static IReadOnlyList<string> Write(string path, ModelProto model, Action<string> writeCompanions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.EndsWith(OnnxCheckpoint.Extension, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{path}: the model file's name must end in {OnnxCheckpoint.Extension}, which ONNX tools and our checkpoint reader recognise.", nameof(path));
        if (Directory.Exists(path)) throw new ArgumentException($"{path}: is a folder; give the .onnx file to write.", nameof(path));
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        var modelName = Path.GetFileName(target);
        Directory.CreateDirectory(folder);
        var staging = Directory.CreateDirectory(Path.Combine(folder, $".{modelName}.{Guid.NewGuid():N}.tmp")).FullName;
        try
        {
            writeCompanions(staging);
            OnnxModelFile.Write(model, Path.Combine(staging, modelName));
            var files = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(staging, f))
                .OrderBy(f => f == modelName).ThenBy(f => f, StringComparer.Ordinal).ToList();
            if (files.FirstOrDefault(f => Directory.Exists(Path.Combine(folder, f))) is { } occupied)
                throw new IOException($"{Path.Combine(folder, occupied)}: is a folder, where the export writes a file of its checkpoint.");
            foreach (var directory in Directory.EnumerateDirectories(staging, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(Path.Combine(folder, Path.GetRelativePath(staging, directory)));
            foreach (var file in files) File.Move(Path.Combine(staging, file), Path.Combine(folder, file), overwrite: true);
            return [.. files.Select(f => Path.Combine(folder, f))];
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Writes the tokenizer files into <paramref name="folder"/>, each name checked to be a plain file name of its own.</summary>
    /// <exception cref="ArgumentException">A name has a folder in it or is one the checkpoint itself uses.</exception>
    public static void WriteTokenizerFiles(string folder, IReadOnlyDictionary<string, byte[]> files, IReadOnlyCollection<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new ArgumentException("No tokenizer file is given; an ONNX checkpoint carries its tokenizer.", nameof(files));
        foreach (var (name, bytes) in files)
        {
            if (string.IsNullOrWhiteSpace(name) || Path.GetFileName(name) != name || name is "." or ".." || reserved.Contains(name))
                throw new ArgumentException($"'{name}' is not a tokenizer file name (a plain file name other than {string.Join(", ", reserved)}).", nameof(files));
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
    }
}
