namespace MLNet.Transformers.Tokenizers;

/// <summary>Truncation of a text or pair before special tokens are added, with Hugging Face's length split.</summary>
internal static class Truncator
{
    /// <summary>Truncates so that the two sequences hold at most <see cref="TruncationOptions.MaxLength"/> tokens together.</summary>
    public static (EncodingResult First, EncodingResult? Second) Apply(EncodingResult first, EncodingResult? second, TruncationOptions options)
    {
        var (maxLength, stride, direction) = (options.MaxLength, options.Stride, options.Direction);
        if (maxLength == 0) return (first.Truncate(0, stride, direction), second?.Truncate(0, stride, direction));

        var total = first.Length + (second?.Length ?? 0);
        if (total <= maxLength) return (first, second);
        var excess = total - maxLength;

        switch (options.Strategy)
        {
            case TruncationStrategy.LongestFirst when second is not null:
            {
                var (shorter, longer) = (Math.Min(first.Length, second.Length), Math.Max(first.Length, second.Length));
                longer = shorter > maxLength ? shorter : Math.Max(shorter, maxLength - shorter);
                if (shorter + longer > maxLength)
                {
                    shorter = maxLength / 2;
                    longer = shorter + maxLength % 2;
                }
                var (firstLength, secondLength) = first.Length > second.Length ? (longer, shorter) : (shorter, longer);
                return (first.Truncate(firstLength, stride, direction), second.Truncate(secondLength, stride, direction));
            }
            case TruncationStrategy.LongestFirst:
                return (first.Truncate(total - excess, stride, direction), null);
            default:
            {
                var onFirst = options.Strategy == TruncationStrategy.OnlyFirst;
                var target = onFirst ? first : second
                    ?? throw new ArgumentException("Truncation strategy OnlySecond needs a text pair.");
                if (target.Length <= excess)
                    throw new ArgumentException(
                        $"Truncation strategy {options.Strategy} cannot reach {maxLength} tokens: the sequence it may shorten has only {target.Length}.");
                var truncated = target.Truncate(target.Length - excess, stride, direction);
                return onFirst ? (truncated, second) : (first, truncated);
            }
        }
    }
}
