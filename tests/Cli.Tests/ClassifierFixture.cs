using MLNet.Transformers.Tests.Common;
using MLNet.Transformers.Tokenizers;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// Data slices of the UCI sentiment sentences (yelp) written as the CLI's input files, and one tiny classifier
/// trained on them once for the tests of this assembly (1 epoch, short inputs: seconds, not minutes).
/// </summary>
internal static class ClassifierFixture
{
    /// <summary>Training rows and held-out rows taken from the data set.</summary>
    private const int TrainingRows = 240, HeldOutRows = 60;

    private static readonly Lazy<Trained> Model = new(TrainOnce);

    /// <summary>The files and the trained model.</summary>
    public sealed record Trained(string Directory, string TrainPath, string TestPath, string ModelPath, CliRunner.Result Result);

    /// <summary>The trained classifier (trained on first use).</summary>
    public static Trained Get() => Model.Value;

    /// <summary>The tokenizer every test model uses.</summary>
    public static string Tokenizer => TestPaths.SharedPath("tokenizers", "bert-base-uncased", "vocab.txt");

    /// <summary>(sentence, label) rows of the yelp file, in file order.</summary>
    public static IReadOnlyList<(string Sentence, string Label)> Sentences() =>
        [.. File.ReadLines(TestPaths.SharedPath("data", "uci-sentiment-labelled-sentences", "yelp_labelled.txt"))
            .Select(line => line.Split('\t')).Where(f => f.Length == 2)
            .Select(f => (f[0].Trim(), f[1].Trim() == "1" ? "positive" : "negative"))];

    /// <summary>How many of <paramref name="texts"/> the test tokenizer turns into more than <paramref name="maxTokens"/> tokens (special tokens included).</summary>
    public static int LongerThan(IEnumerable<string> texts, int maxTokens)
    {
        var tokenizer = Tokenizers.Tokenizer.Load(Tokenizer);
        return texts.Count(text => tokenizer.Encode(text, settings: EncodingSettings.None).Ids.Length > maxTokens);
    }

    /// <summary>Writes rows as a .tsv with a header.</summary>
    public static string WriteTsv(string path, IEnumerable<(string Sentence, string Label)> rows, string textColumn = "sentence", string labelColumn = "label")
    {
        File.WriteAllLines(path, [$"{textColumn}\t{labelColumn}", .. rows.Select(r => $"{r.Sentence}\t{r.Label}")]);
        return path;
    }

    /// <summary>The longest input of <see cref="QuickTraining(string[])"/> runs, in tokens.</summary>
    public const int QuickMaxLength = 32;

    /// <summary>The arguments of a short training run of a tiny preset model.</summary>
    public static string[] QuickTraining(params string[] more) => QuickTraining(QuickMaxLength, more);

    /// <summary>The arguments of a short training run of a tiny preset model reading at most <paramref name="maxLength"/> tokens.</summary>
    public static string[] QuickTraining(int maxLength, params string[] more) =>
        ["train", "--preset", "tiny", "--tokenizer", Tokenizer, "--epochs", "1", "--batch-size", "16", "--max-length", $"{maxLength}",
         "--learning-rate", "1e-3", "--seed", "7", .. more];

    private static Trained TrainOnce()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"cli-tests-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var rows = Sentences();
        var train = WriteTsv(Path.Combine(directory, "train.tsv"), rows.Take(TrainingRows));
        var test = WriteTsv(Path.Combine(directory, "test.tsv"), rows.Skip(TrainingRows).Take(HeldOutRows));
        var model = Path.Combine(directory, "sentiment.zip");
        var result = CliRunner.Run(QuickTraining("--data", train, "--validation", test, "--text-column", "sentence",
            "--label-column", "label", "--output", model));
        return new Trained(directory, train, test, model, result);
    }
}
