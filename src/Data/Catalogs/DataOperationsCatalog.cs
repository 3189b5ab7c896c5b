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
    /// <paramref name="testFraction"/>, decided by a hash of the seed and the row's position, or, with
    /// <paramref name="samplingKeyColumnName"/>, of the row's value in that column (so rows sharing a value, such as
    /// one user's, stay on one side). The split streams, is repeatable, and the two sets are disjoint and together hold
    /// every row.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        if (testFraction is < 0 or > 1 || double.IsNaN(testFraction))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction is between 0 and 1.");
        ulong salt = (ulong)(seed ?? Context.NextSeed());
        if (samplingKeyColumnName is null)
        {
            Func<bool> IsTest(DataViewRow row) => () => RowHash.Uniform(salt, (ulong)row.Position) < testFraction;
            return new TrainTestData(new RowFilterDataView(data, row => Not(IsTest(row))), new RowFilterDataView(data, IsTest));
        }
        var key = SchemaException.Require(data.Schema, samplingKeyColumnName, "sampling key of TrainTestSplit", RowHash.CanHash, "Text, Single, Int32, Boolean or a key");
        Func<bool> KeyIsTest(DataViewRow row)
        {
            var hash = RowHash.ValueHasher(row, key);
            return () => RowHash.Uniform(salt, hash()) < testFraction;
        }
        return new TrainTestData(new RowFilterDataView(data, row => Not(KeyIsTest(row)), key), new RowFilterDataView(data, KeyIsTest, key));
    }

    private static Func<bool> Not(Func<bool> predicate) => () => !predicate();

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
/// Hashes of rows to uniform numbers in [0, 1): SplitMix64, the key-th output of the stream the salt seeds (consecutive
/// keys step the state by the golden gamma, as the generator does). Keys are row positions or hashed column values;
/// text hashes with FNV-1a, the same in every process (unlike <see cref="string.GetHashCode()"/>).
/// </summary>
internal static class RowHash
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x100000001B3UL;

    public static double Uniform(ulong salt, ulong key)
    {
        ulong state = Mix(salt + Gamma) + (key + 1) * Gamma;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    public static bool CanHash(DataViewType type) => type is TextDataViewType or NumberDataViewType or BooleanDataViewType or KeyDataViewType;

    /// <summary>A function hashing <paramref name="column"/>'s current value in <paramref name="row"/> to a key.</summary>
    public static Func<ulong> ValueHasher(DataViewRow row, DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => Hasher<ReadOnlyMemory<char>>(row, column, Text),
        BooleanDataViewType => Hasher<bool>(row, column, b => b ? 1UL : 0UL),
        KeyDataViewType => Hasher<uint>(row, column, k => k),
        _ when column.Type.Equals(NumberDataViewType.Single) => Hasher<float>(row, column, f => BitConverter.SingleToUInt32Bits(f)),
        _ => Hasher<int>(row, column, i => (uint)i),
    };

    private static Func<ulong> Hasher<T>(DataViewRow row, DataViewSchema.Column column, Func<T, ulong> hash)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return hash(value);
        };
    }

    private static ulong Text(ReadOnlyMemory<char> text)
    {
        ulong hash = FnvOffset;
        foreach (char c in text.Span) hash = (hash ^ c) * FnvPrime;
        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
