using System.Globalization;
using System.Text.Json.Nodes;

namespace MLNet.Transformers.Models.Configuration;

/// <summary>A classification head's class names in <c>config.json</c>: <c>id2label</c> and <c>label2id</c> (or <c>num_labels</c>).</summary>
internal static class ClassLabels
{
    /// <summary>Whether <paramref name="json"/> names classes (<c>id2label</c> or <c>num_labels</c>).</summary>
    public static bool Present(JsonObject json) => json["id2label"] is not null || json["num_labels"] is not null;

    /// <summary>The class names of <c>id2label</c>, or <c>LABEL_i</c> for <c>num_labels</c> (default 2) classes.</summary>
    /// <exception cref="InvalidDataException">The keys are not the ids 0..K−1 or a name is not a string; the message names <paramref name="source"/>.</exception>
    public static IReadOnlyList<string> Parse(JsonObject json, string source)
    {
        if (json["id2label"] is not JsonObject id2Label)
        {
            var count = new JsonFields(json, source).Int("num_labels", 2);
            return [.. Enumerable.Range(0, count).Select(i => $"LABEL_{i}")];
        }
        var labels = new string[id2Label.Count];
        foreach (var (key, value) in id2Label)
        {
            if (!int.TryParse(key, out var id) || id < 0 || id >= labels.Length || labels[id] is not null)
                throw new InvalidDataException($"{source}: id2label keys must be the ids 0..{labels.Length - 1}, got '{key}'.");
            labels[id] = value?.GetValue<string>()
                ?? throw new InvalidDataException($"{source}: id2label['{key}'] must be a string.");
        }
        return labels;
    }

    /// <summary>Writes <c>id2label</c> and <c>label2id</c> of <paramref name="labels"/> into <paramref name="json"/>.</summary>
    public static void Write(JsonObject json, IReadOnlyList<string> labels)
    {
        var id2Label = new JsonObject();
        for (var i = 0; i < labels.Count; i++) id2Label[i.ToString(CultureInfo.InvariantCulture)] = labels[i];
        json["id2label"] = id2Label;
        json["label2id"] = new JsonObject(labels.Select((label, i) => KeyValuePair.Create(label, (JsonNode?)i)));
    }
}
