using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>The portable 8-bit tile: 4×4 integer sums, one byte product at a time.</summary>
internal readonly unsafe struct ScalarInt8MicroKernel : IInt8MicroKernel
{
    private const int Size = 4;

    public static int Rows => Size;

    public static int Columns => Size;

    public static bool IsSupported => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int groups, byte* a, sbyte* b, Int8Tile tile, float* c, nint ldc)
    {
        var step = Int8Packing.GroupDepth;
        var sums = stackalloc int[Size * Size];
        new Span<int>(sums, Size * Size).Clear();
        for (var g = 0; g < groups; g++, a += step * Size, b += step * Size)
        for (var i = 0; i < Size; i++)
        for (var j = 0; j < Size; j++)
        {
            var sum = 0;
            for (var t = 0; t < step; t++) sum += a[i * step + t] * b[j * step + t];
            sums[i * Size + j] += sum;
        }

        for (var i = 0; i < Size; i++)
        for (var j = 0; j < Size; j++)
            c[i * ldc + j] = Int8Epilogue.Value(sums[i * Size + j], tile, i, j);
    }
}
