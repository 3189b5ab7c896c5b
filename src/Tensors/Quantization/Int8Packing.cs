namespace MLNet.Transformers.Tensors;

/// <summary>
/// The packed layouts the 8-bit micro-kernels read. Depth is cut into groups of <see cref="GroupDepth"/> consecutive
/// steps (one 32-bit lane of <c>vpdpbusd</c>), the last zero-padded. A panel of B (NR columns) holds, group after
/// group, NR columns × 4 signed bytes; a panel of A (MR rows) holds, group after group, MR rows × 4 unsigned bytes:
/// the activations quantised with a zero point (<see cref="AsymmetricQuantization"/>), since <c>vpdpbusd</c> multiplies
/// unsigned by signed bytes (the zero point's share, <c>z · Σₖ B</c> per row and column, is subtracted in the epilogue).
/// </summary>
internal static unsafe class Int8Packing
{
    /// <summary>Steps of depth per 32-bit lane.</summary>
    public const int GroupDepth = 4;

    /// <summary>Groups of <see cref="GroupDepth"/> steps covering a depth of <paramref name="k"/>.</summary>
    public static int Groups(int k) => (k + GroupDepth - 1) / GroupDepth;

    /// <summary>Bytes of one packed panel of <paramref name="lanes"/> rows (A) or columns (B) over <paramref name="groups"/> groups.</summary>
    public static long PanelBytes(int groups, int lanes) => (long)groups * lanes * GroupDepth;

    /// <summary>
    /// Writes one quantised row of B's source (output channel <paramref name="column"/>, k values) into its panel of
    /// <paramref name="nr"/> columns at <paramref name="packed"/> (the first panel), zero-padding the last group.
    /// </summary>
    public static void PackColumn(ReadOnlySpan<sbyte> values, int column, int nr, sbyte* packed)
    {
        var groups = Groups(values.Length);
        var destination = packed + (column / nr) * PanelBytes(groups, nr) + column % nr * GroupDepth;
        for (var p = 0; p < values.Length; p++)
            destination[p / GroupDepth * nr * GroupDepth + p % GroupDepth] = values[p];
    }

    /// <summary>The value at (column, p) of B read back from its packed panels.</summary>
    public static sbyte Unpack(sbyte* packed, int column, int p, int k, int nr) =>
        packed[column / nr * PanelBytes(Groups(k), nr) + p / GroupDepth * nr * GroupDepth + column % nr * GroupDepth + p % GroupDepth];

    /// <summary>
    /// Writes one quantised activation row, padded to whole groups (<paramref name="values"/> holds <c>groups · 4</c>
    /// bytes; the padding meets B's zero padding, so its value does not matter), into row <paramref name="row"/> of a
    /// panel of <paramref name="mr"/> rows at <paramref name="panel"/>.
    /// </summary>
    public static void PackRow(byte* values, int groups, int row, int mr, byte* panel)
    {
        var source = (uint*)values;
        var destination = (uint*)panel + row;
        for (var g = 0; g < groups; g++) destination[g * mr] = source[g];
    }
}
