using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Transformers.Models.Onnx.Export;

namespace MLNet.Transformers.Tests.MLNetOnnx;

/// <summary>
/// The recipe docs/onnx.md gives for running an exported model inside an ML.NET pipeline: <c>TokenizeForTransformer</c>
/// padded to a fixed length (ML.NET's <c>ApplyOnnxModel</c> refuses variable-size vectors) with the tokenizer files
/// beside the export, <c>ConvertType</c> to Int64 (the graph's input type), then <c>ApplyOnnxModel</c> with a shape
/// dictionary that fixes the symbolic (<c>batch_size</c>, <c>sequence_length</c>) to (1, that length): ML.NET feeds
/// one row at a time.
/// </summary>
internal static class ApplyOnnxModelRecipe
{
    private static readonly string[] Inputs = [OnnxExportNames.InputIds, OnnxExportNames.AttentionMask, OnnxExportNames.TokenTypeIds];

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    /// <summary>The pipeline for <paramref name="modelPath"/>, reading a text column <c>Text</c> and adding <paramref name="output"/>.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext ml, string modelPath, int sequenceLength, string output, bool fixShapes = true)
    {
        var tokenizing = new TextTokenizingOptions
        {
            TokenizerPath = Path.GetDirectoryName(Path.GetFullPath(modelPath))!,
            MaximumTokens = sequenceLength,
            PadToMaximumTokens = true,
            AttentionMaskColumnName = OnnxExportNames.AttentionMask,
            TypeIdsColumnName = OnnxExportNames.TokenTypeIds,
        };
        var shapes = Inputs.ToDictionary(name => name, _ => new[] { 1, sequenceLength });
        return ml.Transforms.Text.TokenizeForTransformer(OnnxExportNames.InputIds, nameof(TextRow.Text), tokenizing)
            .Append(ml.Transforms.Conversion.ConvertType([.. Inputs.Select(name => new InputOutputColumnPair(name))], DataKind.Int64))
            .Append(ml.Transforms.ApplyOnnxModel([output], Inputs, modelPath, fixShapes ? shapes : null, gpuDeviceId: null, fallbackToCpu: false));
    }

    /// <summary>The <paramref name="output"/> vector of each of <paramref name="texts"/>, in order, as ML.NET's pipeline computes it.</summary>
    public static List<float[]> Run(string modelPath, IReadOnlyList<string> texts, int sequenceLength, string output)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(text => new TextRow { Text = text }));
        var model = Pipeline(ml, modelPath, sequenceLength, output).Fit(data);
        try
        {
            return [.. model.Transform(data).GetColumn<VBuffer<float>>(output).Select(vector => vector.DenseValues().ToArray())];
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
