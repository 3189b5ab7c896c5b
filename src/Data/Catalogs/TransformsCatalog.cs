namespace MLNet.Transformers.Data;

/// <summary>Transforms, grouped as in ML.NET; other assemblies add theirs as extension methods on the groups.</summary>
public sealed class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(TransformersContext context) : base(context)
    {
        Conversion = new ConversionTransforms(context);
        Text = new TextTransforms(context);
    }

    /// <summary>Type and key conversions.</summary>
    public ConversionTransforms Conversion { get; }

    /// <summary>Copies <paramref name="inputColumnName"/> to <paramref name="outputColumnName"/> (type and annotations included).</summary>
    public ColumnCopyingEstimator CopyColumns(string outputColumnName, string inputColumnName) =>
        new([new InputOutputColumnPair(outputColumnName, inputColumnName)]);

    /// <summary>Copies each pair of columns.</summary>
    public ColumnCopyingEstimator CopyColumns(InputOutputColumnPair[] columns) => new(columns);

    /// <summary>Text transforms (tokenization, embeddings), added by extension methods.</summary>
    public TextTransforms Text { get; }

    /// <summary>Type and key conversions.</summary>
    public sealed class ConversionTransforms : CatalogBase
    {
        internal ConversionTransforms(TransformersContext context) : base(context) { }

        /// <summary>Maps the values of <paramref name="inputColumnName"/> (default: the output column) to keys in <paramref name="outputColumnName"/>.</summary>
        public ValueToKeyMappingEstimator MapValueToKey(string outputColumnName, string? inputColumnName = null,
            int maximumNumberOfKeys = ValueToKeyMappingEstimator.DefaultMaximumNumberOfKeys, KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence) =>
            new([new InputOutputColumnPair(outputColumnName, inputColumnName)], maximumNumberOfKeys, keyOrdinality);

        /// <summary>Maps the values of each column pair to keys.</summary>
        public ValueToKeyMappingEstimator MapValueToKey(InputOutputColumnPair[] columns,
            int maximumNumberOfKeys = ValueToKeyMappingEstimator.DefaultMaximumNumberOfKeys, KeyOrdinality keyOrdinality = KeyOrdinality.ByOccurrence) =>
            new(columns, maximumNumberOfKeys, keyOrdinality);

        /// <summary>Maps the keys of <paramref name="inputColumnName"/> (default: the output column) back to their values.</summary>
        public KeyToValueMappingEstimator MapKeyToValue(string outputColumnName, string? inputColumnName = null) =>
            new([new InputOutputColumnPair(outputColumnName, inputColumnName)]);

        /// <summary>Maps the keys of each column pair back to their values.</summary>
        public KeyToValueMappingEstimator MapKeyToValue(InputOutputColumnPair[] columns) => new(columns);
    }

    /// <summary>Text transforms; see the Transforms assembly's extension methods.</summary>
    public sealed class TextTransforms : CatalogBase
    {
        internal TextTransforms(TransformersContext context) : base(context) { }
    }
}
