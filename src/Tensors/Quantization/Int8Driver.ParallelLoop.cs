namespace MLNet.Transformers.Tensors;

/// <content>The parallel loop of the 8-bit driver.</content>
internal static partial class Int8Driver<TKernel>
{
    /// <summary>
    /// The state of one parallel product, kept per calling thread with its delegate bound once, so that starting a loop
    /// allocates nothing. Parts have fixed extents (from the sizes and the part count only).
    /// </summary>
    private sealed class ParallelLoop
    {
        [ThreadStatic] private static ParallelLoop? _ofThisThread;

        private readonly Action<int> _compute;
        private Work _work;
        private int _parts;
        private bool _splitRows;

        private ParallelLoop() => _compute = Compute;

        /// <summary>The loop state of the calling thread.</summary>
        public static ParallelLoop OfThisThread => _ofThisThread ??= new ParallelLoop();

        /// <summary>
        /// Computes the product in <paramref name="parts"/> parts: ranges of row tiles, each quantising its own rows, or
        /// ranges of column panels over an A quantised beforehand.
        /// </summary>
        public void Run(Work work, int parts, bool splitRows)
        {
            (_work, _parts, _splitRows) = (work, parts, splitRows);
            Parallelism.ForEachPart(parts, _compute);
        }

        private void Compute(int part)
        {
            if (_splitRows)
            {
                var (first, end) = Parallelism.PartRange(_work.RowTiles, _parts, part);
                _work.Quantize(first, end);
                _work.Compute(first, end, 0, _work.Panels);
            }
            else
            {
                var (first, end) = Parallelism.PartRange(_work.Panels, _parts, part);
                _work.Compute(0, _work.RowTiles, first, end);
            }
        }
    }
}
