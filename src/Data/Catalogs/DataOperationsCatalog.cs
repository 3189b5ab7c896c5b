namespace MLNet.Transformers.Data;

/// <summary>Loading data from files and objects, back to objects, splitting and shuffling.</summary>
public sealed class DataOperationsCatalog : CatalogBase
{
    /// <summary>The default number of rows <see cref="ShuffleRows"/> holds at once (1000, as in ML.NET).</summary>
    public const int DefaultShufflePoolSize = 1000;

    internal DataOperationsCatalog(TransformersContext context) : base(context) { }

    /// <summary>A train set and a test set that split one view's rows.</summary>
    /// <param name="TrainSet">The rows for training.</param>
    /// <param name="TestSet">The rows for testing.</param>
    public sealed record TrainTestData(IDataView TrainSet, IDataView TestSet);

    /// <summary>A loader for text files with <paramref name="options"/>.</summary>
    public TextLoader CreateTextLoader(TextLoader.Options options) => new(options);

    /// <summary>A loader for text files whose columns are <typeparamref name="TRow"/>'s members.</summary>
    public TextLoader CreateTextLoader<TRow>(TextLoader.Options options) => TextLoader.CreateFor<TRow>(options);

    /// <summary>The file at <paramref name="path"/> as a view with <typeparamref name="TRow"/>'s columns (see <see cref="LoadColumnAttribute"/>).</summary>
    public IDataView LoadFromTextFile<TRow>(string path, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false) =>
        LoadFromTextFile<TRow>(path, new TextLoader.Options { Separators = [separatorChar], HasHeader = hasHeader, AllowQuoting = allowQuoting, TrimWhitespace = trimWhitespace });

    /// <summary>The file at <paramref name="path"/> as a view with <typeparamref name="TRow"/>'s columns, read with <paramref name="options"/>.</summary>
    public IDataView LoadFromTextFile<TRow>(string path, TextLoader.Options options) => TextLoader.CreateFor<TRow>(options).Load(path);

    /// <summary>The file at <paramref name="path"/> as a view of <paramref name="columns"/>.</summary>
    public IDataView LoadFromTextFile(string path, TextLoader.Column[] columns, char separatorChar = '\t', bool hasHeader = false, bool allowQuoting = false, bool trimWhitespace = false) =>
        LoadFromTextFile(path, new TextLoader.Options { Columns = columns, Separators = [separatorChar], HasHeader = hasHeader, AllowQuoting = allowQuoting, TrimWhitespace = trimWhitespace });

    /// <summary>The file at <paramref name="path"/> read with <paramref name="options"/> (no columns: every header field as text).</summary>
    public IDataView LoadFromTextFile(string path, TextLoader.Options options) => new TextLoader(options).Load(path);

    /// <summary>A view over objects, one row per item, enumerated lazily by each cursor.</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data) where TRow : class => new EnumerableDataView<TRow>(data);

    /// <summary>
    /// The rows of <paramref name="data"/> as objects, read lazily. Every writable member needs a column of its name
    /// and type unless <paramref name="ignoreMissingColumns"/>; with <paramref name="reuseRowObject"/> one object is
    /// refilled for every row.
    /// </summary>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false) where TRow : class, new() =>
        new RowToObjectMapper<TRow>(data.Schema, ignoreMissingColumns).Enumerate(data, reuseRowObject);

    /// <summary>
    /// Splits <paramref name="data"/> into a train and a test view: each row goes to the test set with probability
    /// <paramref name="testFraction"/>, decided by a hash of its position and the seed, so the split streams, is
    /// repeatable, and the two sets are disjoint and together hold every row.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null)
    {
        if (testFraction is < 0 or > 1 || double.IsNaN(testFraction))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction is between 0 and 1.");
        ulong salt = (ulong)(seed ?? Context.NextSeed());
        bool IsTest(long position) => RowHash.Uniform(salt, position) < testFraction;
        return new TrainTestData(new RowFilterDataView(data, p => !IsTest(p)), new RowFilterDataView(data, IsTest));
    }

    /// <summary>The first <paramref name="count"/> rows of <paramref name="input"/>; the source is not read further.</summary>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowRangeDataView(input, skip: 0, take: count);
    }

    /// <summary>The rows of <paramref name="input"/> after the first <paramref name="count"/>.</summary>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new RowRangeDataView(input, skip: count, take: long.MaxValue);
    }

    /// <summary>The rows of <paramref name="input"/> in a seeded random order, holding <paramref name="shufflePoolSize"/> rows at a time.</summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = DefaultShufflePoolSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shufflePoolSize, 1);
        return new ShuffleDataView(input, seed ?? Context.NextSeed(), shufflePoolSize);
    }
}

/// <summary>
/// A hash of a row position to a uniform number in [0, 1): SplitMix64, the position-th output of the stream the salt
/// seeds (consecutive positions step the state by the golden gamma, as the generator does).
/// </summary>
internal static class RowHash
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    public static double Uniform(ulong salt, long position)
    {
        ulong state = Mix(salt + Gamma) + ((ulong)position + 1) * Gamma;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
