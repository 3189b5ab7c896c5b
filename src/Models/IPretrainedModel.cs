using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Models;

/// <summary>A model whose parameters map one-to-one onto a Hugging Face checkpoint.</summary>
public interface IPretrainedModel
{
    /// <summary>The configuration, saved as <c>config.json</c>.</summary>
    BertConfig Config { get; }

    /// <summary>Every parameter under the name it is saved with.</summary>
    IReadOnlyList<Parameter> Parameters { get; }
}
