using MLNet.Transformers.Models.Onnx.Proto;

namespace MLNet.Transformers.Models.Onnx;

/// <summary>
/// One model parameter found in an ONNX graph: its Hugging Face name, the initializer holding it, and whether that
/// initializer stores the matrix as (in, out) so that reading it transposes to Hugging Face's (out, in).
/// </summary>
internal sealed record OnnxWeight(string Name, TensorProto Initializer, bool Transposed);
