using System.Text.Json.Serialization;

namespace MLNet.Transformers.Models.Pooling;

/// <summary>How token states (B, T, C) become one sentence vector (B, C), as sentence-transformers names them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoolingMode>))]
public enum PoolingMode
{
    /// <summary>The first token's state (<c>pooling_mode_cls_token</c>).</summary>
    Cls,

    /// <summary>The mean over non-padding tokens (<c>pooling_mode_mean_tokens</c>).</summary>
    Mean,

    /// <summary>The per-channel maximum over non-padding tokens (<c>pooling_mode_max_tokens</c>).</summary>
    Max,

    /// <summary>The sum over non-padding tokens divided by √length (<c>pooling_mode_mean_sqrt_len_tokens</c>).</summary>
    MeanSqrtLen,
}
