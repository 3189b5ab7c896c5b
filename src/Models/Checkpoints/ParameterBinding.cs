namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>A model parameter a checkpoint can fill: its Hugging Face name, its shape and its storage.</summary>
/// <param name="Name">The name the model saves it under, e.g. <c>bert.encoder.layer.0.attention.self.query.weight</c>.</param>
/// <param name="Shape">The dimensions as PyTorch stores them (Linear weights are (out, in)).</param>
/// <param name="Values">The parameter's elements, row-major; written by a load, read by a save.</param>
public sealed record ParameterBinding(string Name, IReadOnlyList<int> Shape, Memory<float> Values);
