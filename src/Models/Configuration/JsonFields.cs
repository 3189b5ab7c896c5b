using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNet.Transformers.Models.Configuration;

/// <summary>Typed reads of optional JSON fields that fail with a message naming the file and the field.</summary>
internal readonly struct JsonFields(JsonObject json, string source)
{
    /// <summary>The file (or other source) the object came from, for error messages.</summary>
    public string Source { get; } = source;

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => json[name] is not null;

    public int Int(string name, int fallback) => Read(name, fallback, static v => v.GetValue<int>(), "an integer");

    public double Double(string name, double fallback) => Read(name, fallback, static v => v.GetValue<double>(), "a number");

    public double? NullableDouble(string name) => Has(name) ? Double(name, 0) : null;

    public bool Bool(string name, bool fallback) => Read(name, fallback, static v => v.GetValue<bool>(), "true or false");

    public string String(string name, string fallback) => Read(name, fallback, static v => v.GetValue<string>(), "a string");

    /// <summary>An error for a field whose value is of the right JSON type but not allowed.</summary>
    public InvalidDataException Invalid(string name, string expected) =>
        new($"{Source}: field '{name}' must be {expected}, got {json[name]?.ToJsonString() ?? "nothing"}.");

    private T Read<T>(string name, T fallback, Func<JsonValue, T> get, string expected)
    {
        var node = json[name];
        if (node is null) return fallback;
        try
        {
            return node is JsonValue value ? get(value) : throw Invalid(name, expected);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Invalid(name, expected);
        }
    }

    /// <summary>Parses a JSON file that must hold an object.</summary>
    public static JsonObject ParseObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }
}
