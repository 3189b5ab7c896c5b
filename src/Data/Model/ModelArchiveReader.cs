using System.IO.Compression;
using System.Text.Json;

namespace MLNet.Transformers.Data;

/// <summary>
/// Reads a model zip defensively: every entry name, size and count is checked against <see cref="ModelLoadOptions"/>
/// before anything is decompressed, the manifest's format and versions are checked before any component loads, and
/// any damage found while reading is reported with the file and entry it is in.
/// </summary>
internal sealed class ModelArchiveReader
{
    /// <summary>Deflate cannot expand data more than about 1032 to 1; a larger declared ratio is a lie.</summary>
    private const long MaxDeflateRatio = 1032;
    private const long RatioSlackBytes = 4096;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries;
    private readonly Dictionary<string, ManifestComponent> _components;

    private ModelArchiveReader(ZipArchive zip, string source, ModelLoadOptions options)
    {
        _zip = zip;
        Source = source;
        if (zip.Entries.Count > options.MaxEntries)
            throw new ModelFormatException($"{source}: {zip.Entries.Count} entries, more than the {options.MaxEntries} allowed.");
        _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            CheckEntry(entry, options);
            if (!_entries.TryAdd(entry.FullName, entry)) throw new ModelFormatException($"{source}: entry '{entry.FullName}' appears twice.");
        }
        Manifest = ReadManifest(options);
        _components = new Dictionary<string, ManifestComponent>(StringComparer.Ordinal);
        foreach (var component in Manifest.Components)
        {
            if (!component.Path.EndsWith('/') || !EntryNames.IsSafe(component.Path) || !_components.TryAdd(component.Path, component))
                throw new ModelFormatException($"{source}: the manifest lists component directory '{component.Path}', which is invalid or repeated.");
        }
    }

    public string Source { get; }

    public ModelManifest Manifest { get; }

    /// <summary>Loads the model in <paramref name="input"/>; <paramref name="source"/> names it in errors.</summary>
    public static (ITransformer Model, DataViewSchema InputSchema) Read(Stream input, string source, ModelLoadOptions options)
    {
        ZipArchive zip;
        try { zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new ModelFormatException($"{source} is not a model file: it is not a readable zip archive ({e.Message}).", e); }
        using (zip)
        {
            var reader = new ModelArchiveReader(zip, source, options);
            var schema = reader.ReadInputSchema();
            return (reader.LoadComponent<ITransformer>(reader.Manifest.Root), schema);
        }
    }

    public bool Contains(string path) => _entries.ContainsKey(path);

    public Stream OpenEntry(string path)
    {
        if (!_entries.TryGetValue(path, out var entry)) throw new ModelFormatException($"{Source}: entry '{path}' is missing.");
        try { return new CheckedEntryStream(entry.Open(), entry.Length, $"{Source}: entry '{path}'"); }
        catch (InvalidDataException e) { throw new ModelFormatException($"{Source}: entry '{path}' is corrupt ({e.Message}).", e); }
    }

    public T LoadComponent<T>(string directory) where T : class
    {
        if (!_components.TryGetValue(directory, out var record))
            throw new ModelFormatException($"{Source}: component '{directory}' is not listed in the manifest.");
        var descriptor = ComponentCatalog.Resolve(record.Name, record.Assembly);
        if (record.Version < 1 || record.Version > descriptor.Version)
            throw new ModelFormatException($"{Source}: component '{record.Name}' at '{directory}' has entry layout version {record.Version}; this build reads versions 1 to {descriptor.Version}. Update the library to load this model.");
        object loaded;
        try { loaded = descriptor.Load(new ModelLoadContext(this, directory, record.Version)); }
        catch (Exception e) when (e is JsonException or InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ModelFormatException($"{Source}: component '{record.Name}' at '{directory}' could not be read: {e.Message}", e);
        }
        return loaded as T ?? throw new ModelFormatException($"{Source}: component '{record.Name}' at '{directory}' is a {loaded.GetType().Name}, not a {typeof(T).Name}.");
    }

    private void CheckEntry(ZipArchiveEntry entry, ModelLoadOptions options)
    {
        if (!EntryNames.IsSafe(entry.FullName))
            throw new ModelFormatException($"{Source}: entry '{entry.FullName}' has an unsafe name (an absolute path, '..', or characters other than letters, digits, '.', '_', '-' and '/'); refusing to load.");
        if (entry.Length < 0 || entry.Length > options.MaxEntryBytes)
            throw new ModelFormatException($"{Source}: entry '{entry.FullName}' declares {entry.Length} bytes, more than the {options.MaxEntryBytes} allowed.");
        if (entry.Length > entry.CompressedLength * MaxDeflateRatio + RatioSlackBytes)
            throw new ModelFormatException($"{Source}: entry '{entry.FullName}' declares {entry.Length} bytes from {entry.CompressedLength} compressed, more than compression can produce: the file is corrupt or hostile.");
    }

    private ModelManifest ReadManifest(ModelLoadOptions options)
    {
        if (!_entries.TryGetValue(ModelManifest.EntryName, out var entry))
            throw new ModelFormatException($"{Source} is not a model file: it has no {ModelManifest.EntryName}.");
        if (entry.Length > options.MaxManifestBytes)
            throw new ModelFormatException($"{Source}: {ModelManifest.EntryName} declares {entry.Length} bytes, more than the {options.MaxManifestBytes} allowed.");
        ModelManifest? manifest;
        try
        {
            using var stream = OpenEntry(ModelManifest.EntryName);
            manifest = JsonSerializer.Deserialize<ModelManifest>(stream, ModelManifest.Json);
        }
        catch (JsonException e) { throw new ModelFormatException($"{Source}: {ModelManifest.EntryName} is not valid JSON ({e.Message}).", e); }
        if (manifest is null || manifest.Format != ModelManifest.FormatName || manifest.InputSchema is null || manifest.Components is null || manifest.Root is null)
            throw new ModelFormatException($"{Source}: {ModelManifest.EntryName} is not a {ModelManifest.FormatName} manifest.");
        if (manifest.FormatVersion < 1 || manifest.FormatVersion > ModelManifest.CurrentVersion)
            throw new ModelFormatException($"{Source}: model format version {manifest.FormatVersion}; this build reads versions 1 to {ModelManifest.CurrentVersion}. Update the library to load this model.");
        return manifest;
    }

    private DataViewSchema ReadInputSchema()
    {
        var columns = new List<DataViewSchema.DetachedColumn>();
        foreach (var column in Manifest.InputSchema)
        {
            DataViewType type;
            try { type = DataViewTypeFormat.Parse(column.Type); }
            catch (FormatException e) { throw new ModelFormatException($"{Source}: input column '{column.Name}': {e.Message}", e); }
            var annotations = column.KeyValues is { } names ? AnnotationUtils.KeyValuesAnnotation(names) : DataViewSchema.Annotations.Empty;
            columns.Add(new DataViewSchema.DetachedColumn(column.Name, type, annotations));
        }
        return DataViewSchema.Create(columns);
    }
}
