using Microsoft.ML.OnnxRuntime;
using MLNet.Transformers.Models.Encoder;

namespace MLNet.Transformers.Tests.Onnx;

/// <summary>
/// Runs a batch through an ONNX Runtime session (the independent reference) and compares float outputs: the inputs
/// a session declares among <c>input_ids</c>, <c>attention_mask</c> and <c>token_type_ids</c> are fed as int64.
/// </summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>
    /// A session over a model file or its bytes whose threads wait without spinning: the tests share a few cores with
    /// our engine (and other processes), which spinning threads would starve.
    /// </summary>
    public static InferenceSession Open(string path)
    {
        using var options = Options();
        return new InferenceSession(path, options);
    }

    /// <inheritdoc cref="Open(string)"/>
    public static InferenceSession Open(byte[] model)
    {
        using var options = Options();
        return new InferenceSession(model, options);
    }

    private static SessionOptions Options()
    {
        var options = new SessionOptions();
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>Every output of the session for <paramref name="batch"/>, by name, as flat float arrays.</summary>
    public static Dictionary<string, float[]> Run(InferenceSession session, EncoderBatch batch)
    {
        long[] shape = [batch.BatchSize, batch.SequenceLength];
        var columns = new Dictionary<string, int[]>
        {
            ["input_ids"] = batch.InputIds, ["attention_mask"] = batch.AttentionMask, ["token_type_ids"] = batch.TokenTypeIds,
        };
        var inputs = session.InputMetadata.Keys.ToDictionary(name => name,
            name => OrtValue.CreateTensorValueFromMemory(columns[name].Select(v => (long)v).ToArray(), shape));
        try
        {
            var outputs = session.OutputMetadata.Keys.ToList();
            using var options = new RunOptions();
            using var results = session.Run(options, inputs, outputs);
            return outputs.Select((name, i) => (name, results[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary();
        }
        finally
        {
            foreach (var value in inputs.Values) value.Dispose();
        }
    }

    /// <summary>Mean of the real tokens' hidden states (B, T, C), scaled to unit length, in double precision: (B, C).</summary>
    public static float[] MeanPooledNormalised(float[] hidden, EncoderBatch batch, int width)
    {
        var pooled = new float[batch.BatchSize * width];
        for (var row = 0; row < batch.BatchSize; row++)
        {
            var sum = new double[width];
            var count = 0;
            for (var t = 0; t < batch.SequenceLength; t++)
            {
                var token = row * batch.SequenceLength + t;
                if (batch.AttentionMask[token] == 0) continue;
                count++;
                for (var c = 0; c < width; c++) sum[c] += hidden[token * width + c];
            }
            var norm = Math.Sqrt(sum.Sum(v => (v / count) * (v / count)));
            for (var c = 0; c < width; c++) pooled[row * width + c] = (float)(sum[c] / count / norm);
        }
        return pooled;
    }

    /// <summary>The largest absolute difference between two equally long arrays.</summary>
    public static double MaxDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        double largest = 0;
        for (var i = 0; i < expected.Length; i++) largest = Math.Max(largest, Math.Abs((double)expected[i] - actual[i]));
        return largest;
    }

    /// <summary>The largest difference over the real tokens' rows of two (B, T, C) arrays (padding rows are nobody's output).</summary>
    public static double MaxDifferenceAtRealTokens(float[] expected, ReadOnlySpan<float> actual, EncoderBatch batch, int width)
    {
        double largest = 0;
        for (var token = 0; token < batch.InputIds.Length; token++)
        {
            if (batch.AttentionMask[token] == 0) continue;
            largest = Math.Max(largest, MaxDifference(expected.AsSpan(token * width, width), actual.Slice(token * width, width)));
        }
        return largest;
    }
}
