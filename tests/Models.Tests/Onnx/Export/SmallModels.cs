using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Encoder;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Models.Pooling;
using MLNet.Transformers.Models.SentenceTransformers;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models.Tests.Onnx.Export;

/// <summary>
/// Small random models of each architecture and option the exporter writes (RoBERTa positions, DistilBERT without
/// token types and with sinusoidal positions, every activation, every pooling), with weights wide enough that the
/// outputs are far from zero, and a padded batch of random ids for them.
/// </summary>
internal static class SmallModels
{
    public const int Vocabulary = 50, Hidden = 32, Heads = 4, Intermediate = 64, Layers = 2, Positions = 40;
    public const ulong Seed = 11;
    public static readonly string[] Labels = ["a", "b", "c"];

    /// <summary>Sequence lengths of the test batch: padded to the longest.</summary>
    private static readonly int[] Lengths = [7, 12, 3];

    /// <summary>Wider than BERT's 0.02, so that every layer's contribution shows in the outputs.</summary>
    private const double InitializerRange = 0.2;

    /// <summary>The first ids are special (RoBERTa's padding is 1); random tokens are drawn above them.</summary>
    private const int FirstOrdinaryId = 3;

    public static BertConfig Config(EncoderArchitecture architecture, ActivationKind activation = ActivationKind.Gelu,
        PositionEmbeddingType positions = PositionEmbeddingType.Absolute) => new()
    {
        Architecture = architecture,
        VocabSize = Vocabulary,
        HiddenSize = Hidden,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Heads,
        IntermediateSize = Intermediate,
        HiddenAct = activation,
        MaxPositionEmbeddings = Positions,
        PositionEmbeddingType = positions,
        TypeVocabSize = architecture switch { EncoderArchitecture.DistilBert => 0, EncoderArchitecture.Roberta => 1, _ => 2 },
        PadTokenId = architecture == EncoderArchitecture.Roberta ? 1 : 0,
        InitializerRange = InitializerRange,
        Labels = Labels,
    };

    public static BertForSequenceClassification Classifier(BertConfig config)
    {
        var model = new BertForSequenceClassification(config);
        model.Initialize(Seed);
        return model;
    }

    public static SentenceEncoder Embedder(BertConfig config, IReadOnlyList<PoolingMode> modes, bool normalize)
    {
        var encoder = new BertModel(config, addPoolingLayer: false);
        encoder.Initialize(Seed);
        var pooling = new PoolingConfig { WordEmbeddingDimension = config.HiddenSize, Modes = modes };
        return new SentenceEncoder(encoder, new SentenceTransformerConfig { Pooling = pooling, Normalize = normalize });
    }

    /// <summary>Three sequences of random ids (and random token types where the model has two), right-padded.</summary>
    public static EncoderBatch Batch(BertConfig config)
    {
        var rng = new Rng(Seed);
        var ids = Lengths.Select(n => Enumerable.Range(0, n).Select(_ => FirstOrdinaryId + rng.NextInt(Vocabulary - FirstOrdinaryId)).ToArray()).ToList();
        var types = Lengths.Select(n => Enumerable.Range(0, n).Select(_ => config.TypeVocabSize > 1 ? rng.NextInt(config.TypeVocabSize) : 0).ToArray()).ToList();
        return EncoderBatch.Pad(ids, types, config.PadTokenId);
    }
}
