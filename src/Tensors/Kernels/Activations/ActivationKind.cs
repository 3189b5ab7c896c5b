namespace MLNet.Transformers.Tensors;

/// <summary>Elementwise activation functions, named as in Hugging Face configs (<c>hidden_act</c>).</summary>
public enum ActivationKind
{
    /// <summary><c>gelu</c>: x·Φ(x) with the exact error function.</summary>
    Gelu,

    /// <summary><c>gelu_new</c> (also <c>gelu_pytorch_tanh</c>): the tanh approximation of GELU.</summary>
    GeluTanh,

    /// <summary><c>relu</c>: max(x, 0).</summary>
    Relu,

    /// <summary><c>tanh</c>.</summary>
    Tanh,
}

/// <summary>Maps Hugging Face <c>hidden_act</c> names to <see cref="ActivationKind"/>.</summary>
public static class ActivationNames
{
    /// <summary>Parses a <c>hidden_act</c> value such as <c>gelu</c>, <c>gelu_new</c>, <c>relu</c> or <c>tanh</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a supported activation.</exception>
    public static ActivationKind Parse(string name) => name switch
    {
        "gelu" => ActivationKind.Gelu,
        "gelu_new" or "gelu_pytorch_tanh" => ActivationKind.GeluTanh,
        "relu" => ActivationKind.Relu,
        "tanh" => ActivationKind.Tanh,
        _ => throw new ArgumentException(
            $"Unsupported activation '{name}' (supported: gelu, gelu_new, gelu_pytorch_tanh, relu, tanh).", nameof(name)),
    };
}
