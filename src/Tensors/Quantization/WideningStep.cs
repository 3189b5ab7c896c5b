using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// AVX2 without VNNI: 8 columns. B's 8 columns × 4 bytes are sign-extended to two vectors of 16-bit values (4 columns
/// each), a row's 4 bytes of A zero-extended and repeated for each column, and <c>vpmaddwd</c> adds pairs of exact
/// 16-bit products into 32-bit lanes (where the 8-bit <c>vpmaddubsw</c> would saturate): each column keeps two partial
/// sums (depth steps 0-1 and 2-3), added together once, when the tile is stored.
/// </summary>
internal readonly unsafe struct WideningStep : IInt8Step<Vector256<short>>
{
    private const int Width = 8; // columns, and 32-bit lanes per vector
    private const byte InterleavedToColumnOrder = 0b11_01_10_00; // 64-bit lanes (0, 2, 1, 3)

    public static int Columns => Width;

    public static bool IsSupported => Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(sbyte* b, out Vector256<short> left, out Vector256<short> right)
    {
        left = Avx2.ConvertToVector256Int16(b); // columns 0-3 × 4 steps
        right = Avx2.ConvertToVector256Int16(b + Int8Packing.GroupDepth * Width / 2); // columns 4-7
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(byte* a, Vector256<short> left, Vector256<short> right, ref Vector256<int> leftSums, ref Vector256<int> rightSums)
    {
        var widened = Sse41.ConvertToVector128Int16(Vector128.CreateScalar(*(uint*)a).AsByte()).AsInt64();
        var broadcast = Avx2.BroadcastScalarToVector256(widened).AsInt16();
        leftSums = Avx2.Add(leftSums, Avx2.MultiplyAddAdjacent(left, broadcast));
        rightSums = Avx2.Add(rightSums, Avx2.MultiplyAddAdjacent(right, broadcast));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> leftSums, Vector256<int> rightSums, Int8Tile tile, int row, float* c)
    {
        var interleaved = Avx2.HorizontalAdd(leftSums, rightSums); // columns (0, 1, 4, 5 | 2, 3, 6, 7)
        var sums = Avx2.Permute4x64(interleaved.AsInt64(), InterleavedToColumnOrder).AsInt32();
        Int8Epilogue.Store(sums, tile, row, 0, c);
    }
}
