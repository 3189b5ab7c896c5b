using Microsoft.ML;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>An input row: a text, a second text for pairs, and a number.</summary>
internal sealed class Review
{
    public string Text { get; set; } = "";
    public string Other { get; set; } = "";
    public float Rating { get; set; }

    public static Review[] Of(IEnumerable<string> texts) => [.. texts.Select((text, i) => new Review { Text = text, Rating = i })];
}

/// <summary>An output row: the embedding column.</summary>
internal sealed class Embedded
{
    public float[] Features { get; set; } = [];
}

/// <summary>Reading data views and model files in tests.</summary>
internal static class TestData
{
    /// <summary>The <c>Features</c> column of every row, in row order.</summary>
    public static List<float[]> Features(MLContext ml, IDataView view) =>
        [.. ml.Data.CreateEnumerable<Embedded>(view, reuseRowObject: false).Select(row => row.Features)];

    /// <summary>Asserts that two lists of vectors are equal bit for bit.</summary>
    public static void AssertSameBits(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual, string what)
    {
        Assert.HasCount(expected.Count, actual, what);
        for (var row = 0; row < expected.Count; row++)
            CollectionAssert.AreEqual(Bits(expected[row]), Bits(actual[row]), $"{what}: row {row}");
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}

/// <summary>A path for a temporary file, deleted on dispose.</summary>
internal sealed class TempFile(string extension) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mlnet-transforms-{Guid.NewGuid():N}{extension}");

    public void Dispose() => File.Delete(Path);
}
