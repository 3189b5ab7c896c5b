using MLNet.Transformers.Tensors;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// The synthetic memory task: <c>[CLS]</c>, <see cref="Lead"/> noise tokens, one of <see cref="Classes"/> class tokens,
/// then <c>d − 1</c> more noise tokens, so the class token sits <c>d</c> positions from the end; the label is which
/// class token it was. Noise tokens never are class tokens, so the task is only to carry one token to the read-out.
/// </summary>
internal static class LongRangeTask
{
    public const int Classes = 4, Lead = 8, Vocabulary = 128;
    private const int Cls = 1, FirstClassToken = 2, FirstNoiseToken = FirstClassToken + Classes;

    /// <summary>A sampler of sequences whose class token is <paramref name="distance"/> positions from the end.</summary>
    public static Func<Rng, (int[] Ids, int Label)> AtDistance(int distance) => rng =>
    {
        var ids = new int[1 + Lead + distance];
        ids[0] = Cls;
        for (var i = 1; i < ids.Length; i++) ids[i] = FirstNoiseToken + rng.NextInt(Vocabulary - FirstNoiseToken);
        var label = rng.NextInt(Classes);
        ids[ids.Length - distance] = FirstClassToken + label;
        return (ids, label);
    };
}
