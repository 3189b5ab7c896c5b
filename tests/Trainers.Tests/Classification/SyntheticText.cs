using Microsoft.ML;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Trainers.Tests.Classification;

/// <summary>A row of the synthetic tasks.</summary>
public sealed class TextRow
{
    public string Text { get; set; } = "";
    public string Pair { get; set; } = "";
    public string Topic { get; set; } = "";
    public bool Label { get; set; }
}

/// <summary>What the classifiers add to a row, for prediction engines.</summary>
public sealed class BinaryPrediction
{
    public bool PredictedLabel { get; set; }
    public float Probability { get; set; }
    public float Score { get; set; }
}

/// <summary>
/// Small separable text tasks over a made-up vocabulary, with a WordPiece <c>vocab.txt</c> written for them: each
/// topic has its own words, mixed with shared filler words. Classifiers learn them in a few epochs.
/// </summary>
internal static class SyntheticText
{
    public static readonly string[] Topics = ["sports", "music", "food"];

    private static readonly Dictionary<string, string[]> TopicWords = new()
    {
        ["sports"] = ["goal", "match", "team", "score", "coach", "league"],
        ["music"] = ["song", "band", "guitar", "album", "drum", "melody"],
        ["food"] = ["bread", "soup", "cheese", "salad", "pasta", "spice"],
    };

    private static readonly string[] Filler = ["the", "a", "was", "very", "today", "and", "it", "we", "saw", "some"];

    /// <summary>Writes the vocabulary of these tasks (special tokens first) and returns its path.</summary>
    public static string WriteVocabulary(string directory)
    {
        var path = Path.Combine(directory, "vocab.txt");
        File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Filler, .. TopicWords.Values.SelectMany(w => w)]);
        return path;
    }

    /// <summary>A sentence of 4-10 words, about a third of them from <paramref name="topic"/>.</summary>
    public static string Sentence(Rng rng, string topic)
    {
        var words = new List<string>();
        var length = 4 + rng.NextInt(7);
        for (var i = 0; i < length; i++)
        {
            var pool = i % 3 == 0 ? TopicWords[topic] : Filler;
            words.Add(pool[rng.NextInt(pool.Length)]);
        }
        return string.Join(' ', words);
    }

    /// <summary>Rows whose topic is the topic of <c>Text</c>; <c>Label</c> is true for sports. <c>Pair</c> holds an unrelated sentence.</summary>
    public static List<TextRow> Rows(int count, ulong seed, params string[] topics)
    {
        var rng = new Rng(seed);
        topics = topics.Length == 0 ? Topics : topics;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var topic = topics[i % topics.Length];
            return new TextRow
            {
                Text = Sentence(rng, topic), Pair = Sentence(rng, Topics[rng.NextInt(Topics.Length)]), Topic = topic,
                Label = topic == "sports",
            };
        })];
    }

    /// <summary>Rows whose label is set by the topic of <c>Pair</c> (sports or not); <c>Text</c> is unrelated.</summary>
    public static List<TextRow> PairRows(int count, ulong seed) =>
        [.. Rows(count, seed, "sports", "music").Select(r => new TextRow
        {
            Text = r.Pair, Pair = r.Text, Topic = r.Topic, Label = r.Label,
        })];

    /// <summary>Rows of random text, a quarter of them labelled true at random: nothing to learn but the prior.</summary>
    public static List<TextRow> NoiseRows(int count, ulong seed)
    {
        var rng = new Rng(seed);
        return [.. Rows(count, seed).Select(r => new TextRow { Text = r.Text, Topic = r.Topic, Label = rng.NextInt(4) == 0 })];
    }

    /// <summary>The number of words of <paramref name="text"/> (each word of these tasks is one token of their vocabulary).</summary>
    public static int WordCount(string text) => text.Split(' ').Length;

    public static IDataView View(this MLContext context, IEnumerable<TextRow> rows) => context.Data.LoadFromEnumerable(rows);
}
