using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Transformers.Data;

/// <summary>
/// <c>manifest.json</c>, the model file's table of contents: the format and its version, the input schema the
/// pipeline expects, and for each component its directory, stable name, entry-layout version and assembly.
/// </summary>
internal sealed record ModelManifest(
    string Format,
    int FormatVersion,
    IReadOnlyList<ManifestColumn> InputSchema,
    string Root,
    IReadOnlyList<ManifestComponent> Components)
{
    public const string EntryName = "manifest.json";
    public const string FormatName = "MLNet.Transformers.Model";
    public const int CurrentVersion = 1;
    public const string RootDirectory = "model/";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Readable type names (Vector<Single, 3>) in a file no browser renders.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One column of the saved input schema (key values included for key columns).</summary>
internal sealed record ManifestColumn(string Name, string Type, IReadOnlyList<string>? KeyValues = null);

/// <summary>One component: where its entries live and how to load them.</summary>
internal sealed record ManifestComponent(string Path, string Name, int Version, string Assembly);
