using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        if (laneStride == 1)
        {
            PackContiguousLanes(source, depthStride, lanes, depth, width, destination);
            return;
        }

        for (var first = 0; first < lanes; first += width, source += width * laneStride, destination += width * depth)
            PackStridedLanes(source, laneStride, depthStride, Math.Min(width, lanes - first), depth, width, destination);
    }

    /// <summary>
    /// Lanes adjacent in memory: the lanes of one step are one contiguous run, dealt out to every panel in turn, so the
    /// source is read front to back (one row of a transposed A, or of B, per step) rather than a page apart per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackContiguousLanes(float* source, nint depthStride, int lanes, int depth, int width, float* destination)
    {
        var panelFloats = width * depth;
        var fullPanels = lanes / width;
        var tail = lanes - fullPanels * width;
        for (var p = 0; p < depth; p++, source += depthStride)
        {
            var from = source;
            var to = destination + p * width;
            for (var panel = 0; panel < fullPanels; panel++, from += width, to += panelFloats)
                Copy(from, to, width);
            if (tail != 0)
            {
                Copy(from, to, tail);
                new Span<float>(to + tail, width - tail).Clear();
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> floats, a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* from, float* to, int count)
    {
        var i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
            Vector256.Load(from + i).Store(to + i);
        for (; i + Vector128<float>.Count <= count; i += Vector128<float>.Count)
            Vector128.Load(from + i).Store(to + i);
        for (; i < count; i++)
            to[i] = from[i];
    }

    /// <summary>
    /// One panel whose lanes are <paramref name="laneStride"/> apart: where each lane is contiguous along k (a row of A,
    /// a row of a transposed B), 4×4 blocks are transposed in registers; other lanes are gathered one float at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackStridedLanes(
        float* source, nint laneStride, nint depthStride, int count, int depth, int width, float* destination)
    {
        var lane = 0;
        if (depthStride == 1 && Sse.IsSupported)
        {
            for (; lane + TransposeBlock <= count; lane += TransposeBlock)
                TransposeFourLanes(source + lane * laneStride, laneStride, depth, width, destination + lane);
        }

        for (; lane < count; lane++)
        {
            var from = source + lane * laneStride;
            var to = destination + lane;
            for (var p = 0; p < depth; p++, from += depthStride, to += width)
                *to = *from;
        }

        for (lane = count; lane < width; lane++)
        for (var p = 0; p < depth; p++)
            destination[p * width + lane] = 0;
    }

    /// <summary>Lanes transposed together: four 4-float rows in, four 4-float steps out.</summary>
    private const int TransposeBlock = 4;

    /// <summary>Four lanes, each contiguous along k: 4×4 blocks loaded as rows and stored as steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeFourLanes(float* source, nint laneStride, int depth, int width, float* destination)
    {
        float* r0 = source, r1 = source + laneStride, r2 = source + 2 * laneStride, r3 = source + 3 * laneStride;
        var p = 0;
        for (; p + TransposeBlock <= depth; p += TransposeBlock, destination += TransposeBlock * width)
        {
            var x0 = Sse.LoadVector128(r0 + p); // (a0 a1 a2 a3)
            var x1 = Sse.LoadVector128(r1 + p); // (b0 b1 b2 b3)
            var x2 = Sse.LoadVector128(r2 + p); // (c0 c1 c2 c3)
            var x3 = Sse.LoadVector128(r3 + p); // (d0 d1 d2 d3)
            var ab01 = Sse.UnpackLow(x0, x1); // (a0 b0 a1 b1)
            var cd01 = Sse.UnpackLow(x2, x3); // (c0 d0 c1 d1)
            var ab23 = Sse.UnpackHigh(x0, x1); // (a2 b2 a3 b3)
            var cd23 = Sse.UnpackHigh(x2, x3); // (c2 d2 c3 d3)
            Sse.Store(destination, Sse.MoveLowToHigh(ab01, cd01)); // (a0 b0 c0 d0)
            Sse.Store(destination + width, Sse.MoveHighToLow(cd01, ab01)); // (a1 b1 c1 d1)
            Sse.Store(destination + 2 * width, Sse.MoveLowToHigh(ab23, cd23)); // (a2 b2 c2 d2)
            Sse.Store(destination + 3 * width, Sse.MoveHighToLow(cd23, ab23)); // (a3 b3 c3 d3)
        }

        for (; p < depth; p++, destination += width)
        {
            destination[0] = r0[p];
            destination[1] = r1[p];
            destination[2] = r2[p];
            destination[3] = r3[p];
        }
    }
}
