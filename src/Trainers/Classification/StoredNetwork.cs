using System.Text.Json;
using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Decoder;
using MLNet.Transformers.Models.Heads;

namespace MLNet.Transformers.Trainers.Classification;

/// <summary>
/// What a stored classifier's <c>config.json</c> describes, read before the network is built so that the storage can
/// name a damaged entry: the class count, the positions, the padding id, and how to build the (zero-weight) network.
/// <c>model_type</c> <c>gpt2</c> is a GPT-2 classifier; anything else a BERT-family one.
/// </summary>
internal sealed record StoredNetwork(int Labels, int Positions, int PadTokenId, Func<ClassifierNetwork> Create)
{
    /// <summary>Parses the configuration text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The configuration is malformed.</exception>
    public static StoredNetwork Read(string json, string source)
    {
        if (ModelType(json) == Gpt2Config.ModelType)
        {
            var decoder = Gpt2Config.FromJson(json, source);
            return new StoredNetwork(decoder.Labels?.Count ?? 0, decoder.MaxPositions, decoder.PadTokenId ?? decoder.EosTokenId,
                () => new DecoderClassifierNetwork(new Gpt2ForSequenceClassification(decoder)));
        }
        var config = BertConfig.FromJson(json, source);
        return new StoredNetwork(config.Labels.Count, config.MaxSequenceLength, config.PadTokenId,
            () => new EncoderClassifierNetwork(new BertForSequenceClassification(config)));
    }

    /// <summary>The <c>model_type</c> of a <c>config.json</c>, or null (malformed text is left to the configuration's parser to report).</summary>
    public static string? ModelType(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject root && root["model_type"] is JsonValue value && value.TryGetValue<string>(out var type) ? type : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
