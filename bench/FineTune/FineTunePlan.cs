using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNet.Transformers.Bench.FineTune;

/// <summary>
/// What the PyTorch peer needs to replay our run (<c>plan.json</c>): the examples of every batch, the learning rate
/// of every step, the steps after which the dev set was scored, which parameters AdamW decays, and the settings.
/// </summary>
internal sealed class FineTunePlan
{
    public const string FileName = "plan.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required IReadOnlyList<int[]> Batches { get; init; }

    public required double[] LearningRates { get; init; }

    public required int[] ValidateAfter { get; init; }

    public required string[] Decayed { get; init; }

    public required float WeightDecay { get; init; }

    [JsonPropertyName("beta1")]
    public required float Beta1 { get; init; }

    [JsonPropertyName("beta2")]
    public required float Beta2 { get; init; }

    public required float Epsilon { get; init; }

    public required float MaxGradientNorm { get; init; }

    public required int ScoringBatchSize { get; init; }

    public required int Threads { get; init; }

    public static void Write(string path, FineTunePlan plan) => File.WriteAllText(path, JsonSerializer.Serialize(plan, Json));
}
