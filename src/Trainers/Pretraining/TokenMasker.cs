using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Tokenizers.Models;

namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>
/// BERT's dynamic masking: each non-special token (or whole word) is chosen with
/// <see cref="MaskingOptions.MaskProbability"/>; a chosen token becomes <c>[MASK]</c>, a random non-special token, or
/// stays, and its label is the original id. Every other label is <see cref="IgnoreIndex"/>. Special tokens are never chosen.
/// </summary>
public sealed class TokenMasker
{
    /// <summary>The label of a position that is not predicted (the cross-entropy's ignore index).</summary>
    public const int IgnoreIndex = -100;

    private readonly MaskingOptions _options;
    private readonly bool[] _special;
    private readonly bool[] _continuation;

    /// <summary>Creates a masker over a vocabulary of <paramref name="vocabularySize"/> ids.</summary>
    /// <param name="options">Probabilities and whole-word masking.</param>
    /// <param name="maskId">The <c>[MASK]</c> id.</param>
    /// <param name="vocabularySize">The number of ids; random replacements are drawn below it.</param>
    /// <param name="specialIds">Ids never chosen nor drawn as replacements.</param>
    /// <param name="continuationIds">Ids that continue the previous token's word (<c>##</c> pieces), for whole-word masking.</param>
    public TokenMasker(MaskingOptions options, int maskId, int vocabularySize, IEnumerable<int> specialIds, IEnumerable<int>? continuationIds = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        MaskId = maskId;
        _special = new bool[vocabularySize];
        foreach (var id in specialIds) _special[id] = true;
        if (_special.All(special => special)) throw new ArgumentException("Every id is special: nothing can be masked.", nameof(specialIds));
        _continuation = new bool[vocabularySize];
        foreach (var id in continuationIds ?? []) _continuation[id] = true;
    }

    /// <summary>The <c>[MASK]</c> id.</summary>
    public int MaskId { get; }

    /// <summary>
    /// A masker for a tokenizer: <c>[MASK]</c> (or <c>&lt;mask&gt;</c>), its special added tokens, and for a WordPiece
    /// model the tokens starting with its continuing-subword prefix.
    /// </summary>
    /// <exception cref="InvalidDataException">The tokenizer has no mask token.</exception>
    public static TokenMasker ForTokenizer(Tokenizer tokenizer, MaskingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var maskId = MaskToken.IdIn(tokenizer);
        var specials = tokenizer.AddedTokens.Where(token => token.Special).Select(token => token.Id).Append(maskId);
        var continuations = tokenizer.Model is WordPieceModel wordPiece
            ? wordPiece.Vocabulary.Entries.Where(entry => entry.Key.StartsWith(wordPiece.ContinuingSubwordPrefix, StringComparison.Ordinal)).Select(entry => entry.Value)
            : [];
        return new TokenMasker(options ?? new MaskingOptions(), maskId, tokenizer.VocabularySize, specials, continuations);
    }

    /// <summary>Masks <paramref name="ids"/> into <paramref name="inputs"/> and <paramref name="labels"/> (same length).</summary>
    public void Mask(ReadOnlySpan<int> ids, Span<int> inputs, Span<int> labels, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputs.Length != ids.Length || labels.Length != ids.Length) throw new ArgumentException("The spans must have the same length.");
        var chosen = false;
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (_special[id])
            {
                (inputs[i], labels[i], chosen) = (id, IgnoreIndex, false);
                continue;
            }
            var startsWord = !_options.WholeWordMasking || !_continuation[id] || i == 0 || _special[ids[i - 1]];
            if (startsWord) chosen = rng.NextFloat() < _options.MaskProbability;
            if (!chosen)
            {
                (inputs[i], labels[i]) = (id, IgnoreIndex);
                continue;
            }
            labels[i] = id;
            var action = rng.NextFloat();
            inputs[i] = action < _options.ReplaceWithMaskProbability ? MaskId
                : action < _options.ReplaceWithMaskProbability + _options.ReplaceWithRandomProbability ? RandomToken(rng)
                : id;
        }
    }

    private int RandomToken(Rng rng)
    {
        while (true)
        {
            var id = rng.NextInt(_special.Length);
            if (!_special[id]) return id;
        }
    }
}
