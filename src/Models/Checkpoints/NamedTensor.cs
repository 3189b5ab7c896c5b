namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>A float tensor with a name and a shape, as written to a checkpoint.</summary>
/// <param name="Name">The checkpoint name, e.g. <c>embeddings.word_embeddings.weight</c>.</param>
/// <param name="Shape">The dimensions, outermost first.</param>
/// <param name="Values">The elements in row-major order; their count is the product of <paramref name="Shape"/>.</param>
public sealed record NamedTensor(string Name, IReadOnlyList<int> Shape, ReadOnlyMemory<float> Values);
