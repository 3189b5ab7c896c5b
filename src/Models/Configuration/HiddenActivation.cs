namespace MLNet.Transformers.Models.Configuration;

/// <summary>The feed-forward activation, as named by <c>hidden_act</c> (<c>activation</c> for DistilBERT).</summary>
public enum HiddenActivation
{
    /// <summary><c>gelu</c>: the exact GELU, <c>x·Φ(x)</c> with the error function.</summary>
    Gelu,

    /// <summary><c>gelu_new</c>: the tanh approximation of GELU used by GPT-2.</summary>
    GeluNew,

    /// <summary><c>relu</c>: <c>max(0, x)</c>.</summary>
    Relu,
}
