namespace MLNet.Transformers.Tensors;

/// <summary>
/// One recurrent layer in one direction over a padded batch: <see cref="Batch"/> sequences of at most
/// <see cref="Steps"/> positions, each <see cref="InputSize"/> wide in and <see cref="HiddenSize"/> wide out. Sequence
/// b holds <c>lengths[b]</c> positions; the rest are padding, which the state never sees, as PyTorch's
/// <c>pack_padded_sequence</c>: a forward direction runs over positions 0 … length − 1, a reverse one
/// (<see cref="Reverse"/>, PyTorch's <c>_reverse</c> weights of a bidirectional layer) from length − 1 down to 0, both
/// from a zero state, and padding positions of the output are 0.
/// </summary>
/// <param name="Batch">Sequences (B).</param>
/// <param name="Steps">Positions of the padded batch (T).</param>
/// <param name="InputSize">Features of each input position (I).</param>
/// <param name="HiddenSize">Features of the hidden state (H).</param>
/// <param name="Reverse">Whether the layer reads each sequence from its last position to its first.</param>
public readonly record struct RecurrentShape(int Batch, int Steps, int InputSize, int HiddenSize, bool Reverse = false)
{
    /// <summary>Input elements, B·T·I.</summary>
    public int InputLength => Batch * Steps * InputSize;

    /// <summary>Output (hidden state) elements, B·T·H.</summary>
    public int OutputLength => Batch * Steps * HiddenSize;

    /// <summary>Throws unless every length is in [0, <see cref="Steps"/>] and there is one per sequence.</summary>
    /// <exception cref="ArgumentException">A length is out of range, or their count is not the batch.</exception>
    public void CheckLengths(ReadOnlySpan<int> lengths)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HiddenSize);
        Check.Length(lengths, Batch, nameof(lengths));
        for (var b = 0; b < Batch; b++)
        {
            if (lengths[b] < 0 || lengths[b] > Steps)
                throw new ArgumentException($"Sequence {b} has length {lengths[b]}, outside [0, {Steps}].", nameof(lengths));
        }
    }

    /// <summary>The position the layer reads at step <paramref name="step"/> of a sequence of <paramref name="length"/> positions.</summary>
    public int Position(int step, int length) => Reverse ? length - 1 - step : step;

    /// <summary>The position read one step before <paramref name="position"/>, or −1 at the first step (a zero state).</summary>
    public int Previous(int position, int length) => Reverse ? (position + 1 < length ? position + 1 : -1) : position - 1;

    /// <summary>The longest sequence: the number of steps that do any work.</summary>
    public static int LongestOf(ReadOnlySpan<int> lengths)
    {
        var longest = 0;
        foreach (var length in lengths) longest = Math.Max(longest, length);
        return longest;
    }
}
