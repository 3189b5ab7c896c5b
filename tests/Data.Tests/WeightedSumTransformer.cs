using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MLNet.Transformers.Data.Tests;

/// <summary>
/// A test component defined outside the Data assembly: a batching mapper computing Sum = weights · Features, saved
/// with its weights as a raw binary entry. It records the size of every batch it is given.
/// </summary>
public sealed class WeightedSumTransformer(float[] weights, int batchSize) : RowToRowTransformerBase, IModelComponent<WeightedSumTransformer>
{
    private const string WeightsEntry = "weights.bin";
    private const string OptionsEntry = "options.json";

    public static string ComponentName => "Tests.WeightedSum";

    public static int FormatVersion => 1;

    public float[] Weights => weights;

    public int BatchSize => batchSize;

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.WriteJson(OptionsEntry, new SavedOptions(weights.Length, batchSize));
        using var stream = ctx.CreateEntry(WeightsEntry);
        stream.Write(MemoryMarshal.AsBytes(weights.AsSpan()));
    }

    public static WeightedSumTransformer Load(ModelLoadContext ctx)
    {
        var options = ctx.ReadJson<SavedOptions>(OptionsEntry);
        var weights = new float[options.Length];
        using var stream = ctx.OpenEntry(WeightsEntry);
        stream.ReadExactly(MemoryMarshal.AsBytes(weights.AsSpan()));
        return new WeightedSumTransformer(weights, options.BatchSize);
    }

    private sealed record SavedOptions(int Length, int BatchSize);

    private sealed class Mapper : BatchRowMapper
    {
        private readonly WeightedSumTransformer _parent;
        private readonly DataViewSchema.Column _features;

        public Mapper(WeightedSumTransformer parent, DataViewSchema inputSchema)
            : base(inputSchema, [new DataViewSchema.DetachedColumn("Sum", NumberDataViewType.Single)], parent.BatchSize)
        {
            _parent = parent;
            var expected = new VectorDataViewType(NumberDataViewType.Single, parent.Weights.Length);
            _features = SchemaException.Require(inputSchema, "Features", "input of WeightedSum", expected.Equals, expected.ToString());
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => [_features];

        protected override void MapBatch(RowBatch batch)
        {
            _parent.BatchSizes.Enqueue(batch.Count);
            var features = batch.GetInput<VBuffer<float>>(_features); // (B) vectors of (F)
            var sums = batch.GetOutput<float>(0);                        // (B)
            for (int b = 0; b < batch.Count; b++)
            {
                var x = features[b].GetValues();
                float sum = 0;
                for (int f = 0; f < x.Length; f++) sum += x[f] * _parent.Weights[f];
                sums[b] = sum;
            }
        }
    }
}
