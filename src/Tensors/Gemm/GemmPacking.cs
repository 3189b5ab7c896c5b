using System.Runtime.CompilerServices;

namespace MLNet.Transformers.Tensors;

/// <summary>
/// Copies a block of A or B into the panel order a micro-kernel reads: panels of <c>width</c> lanes (rows of A, columns
/// of B), each stored step by step (<c>width</c> floats per step of the shared dimension), so that the kernel streams
/// both operands with unit stride. Lanes past the edge of the matrix are zero, so edge tiles run the same kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="lanes"/> lanes by <paramref name="depth"/> steps, element (lane l, step p) read at
    /// <c>source[l·laneStride + p·depthStride]</c>, into <c>ceil(lanes / width)</c> consecutive panels of
    /// <c>depth × width</c> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* source, nint laneStride, nint depthStride, int lanes, int depth, int width, float* destination)
    {
        for (var first = 0; first < lanes; first += width, source += width * laneStride, destination += width * depth)
        {
            var count = Math.Min(width, lanes - first);
            if (laneStride == 1)
                PackContiguousLanes(source, depthStride, count, depth, width, destination);
            else
                PackStridedLanes(source, laneStride, depthStride, count, depth, width, destination);
        }
    }

    /// <summary>One panel whose lanes are adjacent in memory: a row copy per step.</summary>
    private static void PackContiguousLanes(float* source, nint depthStride, int count, int depth, int width, float* destination)
    {
        var bytes = (uint)(count * sizeof(float));
        var padding = (uint)((width - count) * sizeof(float));
        for (var p = 0; p < depth; p++, source += depthStride, destination += width)
        {
            Unsafe.CopyBlockUnaligned(destination, source, bytes);
            if (padding != 0)
                Unsafe.InitBlockUnaligned(destination + count, 0, padding);
        }
    }

    /// <summary>One panel whose lanes are <paramref name="laneStride"/> apart: a strided gather per lane.</summary>
    private static void PackStridedLanes(
        float* source, nint laneStride, nint depthStride, int count, int depth, int width, float* destination)
    {
        for (var lane = 0; lane < count; lane++)
        {
            var from = source + lane * laneStride;
            var to = destination + lane;
            for (var p = 0; p < depth; p++, from += depthStride, to += width)
                *to = *from;
        }

        for (var lane = count; lane < width; lane++)
        for (var p = 0; p < depth; p++)
            destination[p * width + lane] = 0;
    }
}
