using System.IO.Compression;
using System.Text.Json;

namespace MLNet.Transformers.Data;

/// <summary>
/// What a component sees while saving: its own directory in the model zip. It writes entries with
/// <see cref="CreateEntry"/> (streamed straight into the zip, so a weight file of gigabytes is never buffered whole;
/// dispose each stream before creating the next) and its sub-components with <see cref="SaveComponent"/>.
/// </summary>
public sealed class ModelSaveContext
{
    private readonly ModelArchiveWriter _archive;

    internal ModelSaveContext(ModelArchiveWriter archive, string directory)
    {
        _archive = archive;
        Directory = directory;
    }

    /// <summary>This component's directory in the archive, ending in '/'.</summary>
    public string Directory { get; }

    /// <summary>A write-only stream for entry <paramref name="name"/> of this component (letters, digits, '.', '_', '-').</summary>
    public Stream CreateEntry(string name)
    {
        EntryNames.RequireSegment(name);
        return _archive.CreateEntry(Directory + name);
    }

    /// <summary>Writes <paramref name="value"/> as JSON into entry <paramref name="name"/>.</summary>
    public void WriteJson<T>(string name, T value)
    {
        using var stream = CreateEntry(name);
        JsonSerializer.Serialize(stream, value, ModelManifest.Json);
    }

    /// <summary>Saves <paramref name="component"/> into sub-directory <paramref name="name"/> of this one.</summary>
    public void SaveComponent(ICanSaveModel component, string name)
    {
        EntryNames.RequireSegment(name);
        _archive.SaveComponent(component, Directory + name + "/");
    }
}

/// <summary>Writes a model zip: components' entries as they save, then the manifest.</summary>
internal sealed class ModelArchiveWriter(ZipArchive zip)
{
    private readonly List<ManifestComponent> _components = [];
    private readonly HashSet<string> _entries = new(StringComparer.Ordinal);

    public Stream CreateEntry(string path)
    {
        if (!_entries.Add(path)) throw new InvalidOperationException($"Model entry '{path}' is written twice.");
        return zip.CreateEntry(path, CompressionLevel.Fastest).Open();
    }

    public void SaveComponent(ICanSaveModel component, string directory)
    {
        var descriptor = ComponentCatalog.For(component);
        _components.Add(new ManifestComponent(directory, descriptor.Name, descriptor.Version, descriptor.AssemblyName));
        component.Save(new ModelSaveContext(this, directory));
    }

    public static void Write(Stream output, ITransformer model, DataViewSchema inputSchema)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var writer = new ModelArchiveWriter(zip);
        writer.SaveComponent(model, ModelManifest.RootDirectory);
        var columns = inputSchema.Where(c => !c.IsHidden)
            .Select(c => new ManifestColumn(c.Name, DataViewTypeFormat.Format(c.Type), c.Type is KeyDataViewType ? c.GetKeyValueNames() : null))
            .ToArray();
        var manifest = new ModelManifest(ModelManifest.FormatName, ModelManifest.CurrentVersion, columns, ModelManifest.RootDirectory, writer._components);
        using var stream = writer.CreateEntry(ModelManifest.EntryName);
        JsonSerializer.Serialize(stream, manifest, ModelManifest.Json);
    }
}
