using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Transformers.Pipeline;
using MLNet.Transformers.Pipeline.Tests;

[assembly: LoadableClass(typeof(TextLengthTransformer), null, typeof(SignatureLoadModel), "Text length (test)", TextLengthTransformer.LoaderSignature)]

namespace MLNet.Transformers.Pipeline.Tests;

/// <summary>
/// A transformer for testing the batch machinery: adds the length of a text column and the size of the batch the
/// row was mapped in, and counts the batches it maps.
/// </summary>
/// <param name="outputColumnName">The length column added (the batch size column is named after it).</param>
/// <param name="inputColumnName">The text column read.</param>
/// <param name="batchSize">Rows per batch.</param>
/// <param name="savedVersion">The format version written when saved (a newer one than this build reads, to test refusals).</param>
public sealed class TextLengthTransformer(string outputColumnName, string inputColumnName, int batchSize, uint savedVersion = TextLengthTransformer.CurrentVersion)
    : BatchTransformer
{
    internal const string LoaderSignature = "TextLengthTest";
    internal const string SettingsEntry = "settings.json";
    internal const uint CurrentVersion = 0x00010001;
    private static readonly ModelFormat StoredFormat = Versioned(CurrentVersion);
    private int _batches;

    public string OutputColumnName { get; } = outputColumnName;

    public string InputColumnName { get; } = inputColumnName;

    public int BatchSize { get; } = batchSize;

    /// <summary>The batches mapped so far.</summary>
    public int Batches => Volatile.Read(ref _batches);

    protected override ModelFormat Format => Versioned(savedVersion);

    protected override BatchMapper CreateMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    protected override void SaveModel(ModelWriter writer) => writer.WriteJson(SettingsEntry, new Settings(OutputColumnName, InputColumnName, BatchSize));

    private static TextLengthTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var settings = ModelReader.Open(ctx, StoredFormat).ReadJson<Settings>(SettingsEntry);
        return new TextLengthTransformer(settings.Output, settings.Input, settings.BatchSize);
    }

    private static ModelFormat Versioned(uint version) => new("TXTLENTS", version, CurrentVersion, LoaderSignature, typeof(TextLengthTransformer).Assembly);

    private sealed record Settings(string Output, string Input, int BatchSize);

    private sealed class Mapper : BatchMapper
    {
        private readonly TextLengthTransformer _parent;
        private readonly DataViewSchema.Column _input;

        public Mapper(TextLengthTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, [new(parent.OutputColumnName, NumberDataViewType.Single), new(parent.OutputColumnName + "Batch", NumberDataViewType.Int32)], parent.BatchSize)
        {
            _parent = parent;
            _input = SchemaException.Require(inputSchema, parent.InputColumnName, "input of TextLength", t => t is TextDataViewType, "Text");
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_input];

        public override void MapBatch(RowBatch batch)
        {
            Interlocked.Increment(ref _parent._batches);
            var texts = batch.GetInput<ReadOnlyMemory<char>>(_input);
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.IsOutputActive(0)) batch.GetOutput<float>(0)[i] = texts[i].Length;
                if (batch.IsOutputActive(1)) batch.GetOutput<int>(1)[i] = batch.Count;
            }
        }
    }
}
