using System.Text.Json;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>
/// The settings a Hugging Face checkpoint keeps beside its vocabulary (<c>tokenizer_config.json</c>,
/// <c>special_tokens_map.json</c>): casing and the special tokens' texts.
/// </summary>
internal sealed class CheckpointConfig
{
    private const string ConfigFile = "tokenizer_config.json", SpecialTokensFile = "special_tokens_map.json";

    private readonly Dictionary<string, JsonElement> _values = [];

    /// <summary>Reads whichever of the two files exist in <paramref name="directory"/>; the special tokens map wins.</summary>
    public static CheckpointConfig Read(string directory)
    {
        var config = new CheckpointConfig();
        foreach (var name in new[] { ConfigFile, SpecialTokensFile })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new TokenizerFormatException(path, "expected a JSON object.");
                foreach (var property in document.RootElement.EnumerateObject())
                    config._values[property.Name] = property.Value.Clone();
            }
            catch (JsonException error)
            {
                throw new TokenizerFormatException(path, $"not valid JSON ({error.Message}).", error);
            }
        }
        return config;
    }

    /// <summary>A boolean setting, or <paramref name="fallback"/> when absent or null.</summary>
    public bool Bool(string name, bool fallback) =>
        _values.TryGetValue(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;

    /// <summary>A nullable boolean setting (null when absent or null).</summary>
    public bool? OptionalBool(string name) =>
        _values.TryGetValue(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    /// <summary>A special token's text: a plain string or an object with <c>content</c>.</summary>
    public string Token(string name, string fallback)
    {
        if (!_values.TryGetValue(name, out var value)) return fallback;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString()!,
            _ => fallback,
        };
    }
}
