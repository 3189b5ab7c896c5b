namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>One candidate for a masked position.</summary>
/// <param name="Token">The token text (e.g. <c>president</c> or <c>##s</c>).</param>
/// <param name="TokenId">The token id.</param>
/// <param name="Score">Its softmax probability at the position.</param>
public sealed record FillMaskCandidate(string Token, int TokenId, double Score);
