using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// AVX-VNNI: 16 columns as two vectors of 8 lanes; per row and group one 4-byte broadcast of A and two
/// <c>vpdpbusd</c>, each adding four unsigned-by-signed byte products into every lane (never saturating: at most
/// 4 · 255 · 127 per group).
/// </summary>
internal readonly unsafe struct VnniStep : IInt8Step<Vector256<sbyte>>
{
    private const int Width = 8; // 32-bit lanes per vector

    public static int Columns => 2 * Width;

    public static bool IsSupported => AvxVnni.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(sbyte* b, out Vector256<sbyte> left, out Vector256<sbyte> right)
    {
        left = Vector256.Load(b);
        right = Vector256.Load(b + Int8Packing.GroupDepth * Width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(byte* a, Vector256<sbyte> left, Vector256<sbyte> right, ref Vector256<int> leftSums, ref Vector256<int> rightSums)
    {
        var broadcast = Vector256.Create(*(int*)a).AsByte();
        leftSums = AvxVnni.MultiplyWideningAndAdd(leftSums, broadcast, left);
        rightSums = AvxVnni.MultiplyWideningAndAdd(rightSums, broadcast, right);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> leftSums, Vector256<int> rightSums, Int8Tile tile, int row, float* c)
    {
        Int8Epilogue.Store(leftSums, tile, row, 0, c);
        Int8Epilogue.Store(rightSums, tile, row, Width, c + Width);
    }
}
