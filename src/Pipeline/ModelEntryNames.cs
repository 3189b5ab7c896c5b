using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Transformers.Pipeline;

/// <summary>The rules shared by the entries a transformer writes and reads: names, and the JSON they hold.</summary>
internal static class ModelEntryNames
{
    /// <summary>How settings are written as JSON: camel case, enums by name, nulls left out.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Throws unless <paramref name="name"/> is one path segment of letters, digits, '.', '_' and '-'.</summary>
    public static void Require(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException($"Model entry name '{name}' must be letters, digits, '.', '_' and '-' only.", nameof(name));
    }
}
