namespace MLNet.Transformers.Tests.Common;

/// <summary>The SST-2 sentiment sentences of the shared data folder (<c>data/sst2/*.tsv</c>: a header, then sentence TAB label).</summary>
internal static class Sst2
{
    /// <summary>The first <paramref name="count"/> rows of <paramref name="split"/> (<c>train</c>, <c>dev</c> or <c>test</c>), in file order.</summary>
    public static IReadOnlyList<(string Sentence, string Label)> Rows(string split, int count) =>
        [.. File.ReadLines(TestPaths.SharedPath("data", "sst2", $"{split}.tsv")).Skip(1).Take(count)
            .Select(line => line.Split('\t')).Select(fields => (fields[0].Trim(), fields[1].Trim()))];

    /// <summary>The first <paramref name="count"/> sentences of <paramref name="split"/>, in file order.</summary>
    public static IReadOnlyList<string> Sentences(string split, int count) => [.. Rows(split, count).Select(row => row.Sentence)];
}
