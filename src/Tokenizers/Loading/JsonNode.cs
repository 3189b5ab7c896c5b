using System.Text.Json;

namespace MLNet.Transformers.Tokenizers.Loading;

/// <summary>A JSON value and its path in the document, so that every error names the field it is about.</summary>
internal readonly record struct JsonNode(JsonElement Element, string Path)
{
    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out _);

    public JsonNode Required(string name)
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Error(null, "expected an object.");
        if (!Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(name, "missing.");
        return new JsonNode(value, $"{Path}.{name}");
    }

    public JsonNode? OptionalObject(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonNode(value, $"{Path}.{name}")
            : null;

    public IEnumerable<JsonNode> OptionalArray(string name) => OptionalObject(name) is { } array ? array.Items() : [];

    public IEnumerable<JsonNode> Items()
    {
        if (Element.ValueKind != JsonValueKind.Array) throw Error(null, "expected an array.");
        var path = Path;
        return Element.EnumerateArray().Select((item, i) => new JsonNode(item, $"{path}[{i}]")).ToArray();
    }

    public IEnumerable<(string Name, JsonNode Value)> Properties()
    {
        if (Element.ValueKind != JsonValueKind.Object) throw Error(null, "expected an object.");
        var path = Path;
        return Element.EnumerateObject().Select(property => (property.Name, new JsonNode(property.Value, $"{path}.{property.Name}"))).ToArray();
    }

    public string AsString() =>
        Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error(null, "expected a string.");

    public int AsInt() =>
        Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var value) ? value : throw Error(null, "expected an integer.");

    public string String(string name) => Required(name).AsString();

    public string String(string name, string fallback) => OptionalObject(name) is { } value ? value.AsString() : fallback;

    public string? OptionalString(string name) => OptionalObject(name)?.AsString();

    public int Int(string name) => Required(name).AsInt();

    public int Int(string name, int fallback) => OptionalObject(name) is { } value ? value.AsInt() : fallback;

    public int? OptionalInt(string name) => OptionalObject(name)?.AsInt();

    public bool Bool(string name, bool fallback) => OptionalBool(name) ?? fallback;

    public bool? OptionalBool(string name)
    {
        if (OptionalObject(name) is not { } value) return null;
        return value.Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw value.Error(null, "expected true or false."),
        };
    }

    /// <summary>Refuses a field that this reader does not implement when it is set.</summary>
    public void Unsupported(string name)
    {
        if (OptionalObject(name) is { } value && !(value.Element.ValueKind == JsonValueKind.String && value.AsString().Length == 0))
            throw Error(name, "is set, which is not supported.");
    }

    /// <summary>Runs a constructor, reporting its argument errors against this node.</summary>
    public T Construct<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException error)
        {
            throw Error(null, error.Message);
        }
    }

    public JsonFieldException Error(string? field, string problem) =>
        new(field is null ? $"{Path}: {problem}" : $"{Path}.{field}: {problem}");
}

/// <summary>A problem with one field of a JSON document (the message starts with the field's path).</summary>
internal sealed class JsonFieldException(string message) : Exception(message);
