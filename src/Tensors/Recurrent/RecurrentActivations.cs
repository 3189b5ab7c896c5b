namespace MLNet.Transformers.Tensors;

/// <summary>
/// What one forward of a <see cref="RecurrentStack"/> keeps (every layer's and direction's states and gates) and the
/// scratch its kernels use: the model keeps one for training, and every inference session one of its own, so sessions
/// over the same weights run side by side.
/// </summary>
public sealed class RecurrentActivations
{
    internal RecurrentActivations(int layers, int directions)
    {
        Outputs = [.. Enumerable.Range(0, layers).Select(_ => new TensorBuffer())];
        States = Create(layers, directions);
        Gates = Create(layers, directions);
        Extras = Create(layers, directions);
        DirectionGradients = [.. Enumerable.Range(0, directions).Select(_ => new TensorBuffer())];
    }

    /// <summary>Each layer's output (B, T, D·H), both directions side by side.</summary>
    internal TensorBuffer[] Outputs { get; }

    /// <summary>[layer][direction] hidden states (B, T, H).</summary>
    internal TensorBuffer[][] States { get; }

    /// <summary>[layer][direction] activated gates (B, T, G·H).</summary>
    internal TensorBuffer[][] Gates { get; }

    /// <summary>[layer][direction] LSTM cell states or GRU hidden candidates (B, T, H).</summary>
    internal TensorBuffer[][] Extras { get; }

    /// <summary>[direction] the gradient of that direction's states (B, T, H), in backward.</summary>
    internal TensorBuffer[] DirectionGradients { get; }

    /// <summary>The gradient of a layer's input (B, T, I or D·H), in backward.</summary>
    internal TensorBuffer InputGradient { get; } = new();

    /// <summary>The gradient of a layer's output (B, T, D·H), in backward.</summary>
    internal TensorBuffer OutputGradient { get; } = new();

    internal RecurrentWorkspace Workspace { get; } = new();

    /// <summary>The lengths of the last forward (B).</summary>
    internal int[] Lengths { get; set; } = [];

    /// <summary>The input of the last forward (B, T, I).</summary>
    internal Tensor? Input { get; set; }

    private static TensorBuffer[][] Create(int layers, int directions) =>
        [.. Enumerable.Range(0, layers).Select(_ => Enumerable.Range(0, directions).Select(_ => new TensorBuffer()).ToArray())];
}
