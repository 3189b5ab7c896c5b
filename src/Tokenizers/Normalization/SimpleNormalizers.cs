using System.Text;

namespace MLNet.Transformers.Tokenizers.Normalization;

/// <summary>Lower-cases every code point (Hugging Face's <c>Lowercase</c> normalizer).</summary>
public sealed class LowercaseNormalizer : Normalizer
{
    internal override int Map(Rune rune, Span<Rune> output)
    {
        output[0] = rune;
        return Lowercaser.LowercaseInPlace(output, 1);
    }
}

/// <summary>Canonical decomposition of each code point (Hugging Face's <c>NFD</c> normalizer, without canonical reordering).</summary>
public sealed class NfdNormalizer : Normalizer
{
    internal override int Map(Rune rune, Span<Rune> output) => CanonicalDecomposition.Decompose(rune, output);
}

/// <summary>Drops non-spacing marks (Hugging Face's <c>StripAccents</c> normalizer; usually after <see cref="NfdNormalizer"/>).</summary>
public sealed class StripAccentsNormalizer : Normalizer
{
    internal override int Map(Rune rune, Span<Rune> output)
    {
        if (UnicodeClasses.IsNonSpacingMark(rune)) return 0;
        output[0] = rune;
        return 1;
    }
}

/// <summary>Applies normalizers one after the other (Hugging Face's <c>Sequence</c> normalizer).</summary>
public sealed class SequenceNormalizer : Normalizer
{
    private readonly Normalizer[] _steps;

    /// <summary>Creates the sequence; each step sees what the previous one produced.</summary>
    public SequenceNormalizer(IEnumerable<Normalizer> steps) => _steps = steps.ToArray();

    internal override int Map(Rune rune, Span<Rune> output)
    {
        Span<Rune> current = stackalloc Rune[MaxExpansion];
        Span<Rune> next = stackalloc Rune[MaxExpansion];
        Span<Rune> mapped = stackalloc Rune[MaxExpansion];
        current[0] = rune;
        var count = 1;
        foreach (var step in _steps)
        {
            var nextCount = 0;
            for (var i = 0; i < count; i++)
            {
                var produced = step.Map(current[i], mapped);
                if (nextCount + produced > MaxExpansion)
                    throw new InvalidOperationException($"A normalizer sequence expanded one character into more than {MaxExpansion}.");
                mapped[..produced].CopyTo(next[nextCount..]);
                nextCount += produced;
            }
            next[..nextCount].CopyTo(current);
            count = nextCount;
        }
        current[..count].CopyTo(output);
        return count;
    }
}
