using System.Runtime.Intrinsics;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// The instructions of one 8-bit vector kernel, for <see cref="Int8MicroKernel{TStep, TOperand, THeight}"/>: how a group
/// of B is loaded into two operands, how one row's group of A is multiplied into the row's two accumulators, and how
/// the accumulators become the row's exact sums. Implementations are structs, so the JIT specialises the tile for each.
/// </summary>
/// <typeparam name="TOperand">The type B is loaded as.</typeparam>
internal unsafe interface IInt8Step<TOperand>
    where TOperand : struct
{
    /// <summary>Columns of C the two accumulators of a row cover (NR).</summary>
    static abstract int Columns { get; }

    /// <summary>Whether this CPU runs the instructions.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Loads one group of a B panel: <see cref="Columns"/> columns × 4 signed bytes.</summary>
    static abstract void Load(sbyte* b, out TOperand left, out TOperand right);

    /// <summary>Adds the products of one row's group of A (4 unsigned bytes) and B into the row's accumulators.</summary>
    static abstract void Step(byte* a, TOperand left, TOperand right, ref Vector256<int> leftSums, ref Vector256<int> rightSums);

    /// <summary>Dequantises and stores the row's <see cref="Columns"/> values (see <see cref="Int8Epilogue"/>).</summary>
    static abstract void Store(Vector256<int> leftSums, Vector256<int> rightSums, Int8Tile tile, int row, float* c);
}
