using System.Text.Json;

namespace MLNet.Transformers.Data;

/// <summary>
/// What a component sees while loading: its own directory in the model zip, the entry-layout
/// <see cref="Version"/> it was saved with, its entries (streamed, with their sizes checked) and its sub-components.
/// Read everything needed during <c>Load</c>: the archive is closed afterwards.
/// </summary>
public sealed class ModelLoadContext
{
    private readonly ModelArchiveReader _archive;

    internal ModelLoadContext(ModelArchiveReader archive, string directory, int version)
    {
        _archive = archive;
        Directory = directory;
        Version = version;
    }

    /// <summary>This component's directory in the archive, ending in '/'.</summary>
    public string Directory { get; }

    /// <summary>The entry-layout version the component was saved with (1 up to its <c>FormatVersion</c>).</summary>
    public int Version { get; }

    /// <summary>Whether this component has entry <paramref name="name"/>.</summary>
    public bool ContainsEntry(string name) => _archive.Contains(Directory + name);

    /// <summary>A read-only stream of entry <paramref name="name"/>; fails clearly when the entry is missing, corrupt or
    /// longer than it declares.</summary>
    public Stream OpenEntry(string name)
    {
        EntryNames.RequireSegment(name);
        return _archive.OpenEntry(Directory + name);
    }

    /// <summary>Reads entry <paramref name="name"/> as JSON.</summary>
    public T ReadJson<T>(string name)
    {
        using var stream = OpenEntry(name);
        return JsonSerializer.Deserialize<T>(stream, ModelManifest.Json) ?? throw Corrupt(name, "null");
    }

    /// <summary>Loads the sub-component saved as <paramref name="name"/>, which must be a <typeparamref name="T"/>.</summary>
    public T LoadComponent<T>(string name) where T : class
    {
        EntryNames.RequireSegment(name);
        return _archive.LoadComponent<T>(Directory + name + "/");
    }

    /// <summary>An error saying entry <paramref name="name"/> holds <paramref name="what"/>, which is not valid.</summary>
    public ModelFormatException Corrupt(string name, string what) =>
        new($"{_archive.Source}: entry '{Directory + name}' is not valid: it holds {what}.");
}
