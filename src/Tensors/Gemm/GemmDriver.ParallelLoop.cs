namespace MLNet.Transformers.Tensors;

/// <content>The parallel loops of the driver.</content>
internal static partial class GemmDriver<TKernel>
{
    /// <summary>
    /// The state of one parallel loop, kept per calling thread with its delegates bound once, so that starting a loop
    /// allocates nothing. Parts have fixed extents (from the sizes and the part count only), never from scheduling.
    /// </summary>
    private sealed class ParallelLoop
    {
        [ThreadStatic] private static ParallelLoop? _ofThisThread;

        private readonly Action<int> _packB;
        private readonly Action<int> _compute;
        private readonly Action<int> _multiplyBatch;
        private readonly Action<int> _computeRows;
        private ColumnBlock _block;
        private bool _splitRows;
        private GemmProblem _problem;
        private GemmBatch _batch;
        private int _parts;

        private ParallelLoop()
        {
            _packB = PackB;
            _compute = Compute;
            _multiplyBatch = MultiplyBatch;
            _computeRows = ComputeRows;
        }

        /// <summary>The loop state of the calling thread.</summary>
        public static ParallelLoop OfThisThread => _ofThisThread ??= new ParallelLoop();

        /// <summary>
        /// Packs the block's B panels (unless already packed), then computes it: by ranges of rows, or of panels when
        /// rows are few.
        /// </summary>
        public void RunColumnBlock(ColumnBlock block, int parts, bool splitRows, bool packB)
        {
            (_block, _parts, _splitRows) = (block, parts, splitRows);
            if (packB)
                Parallelism.ForEachPart(parts, _packB);
            Parallelism.ForEachPart(parts, _compute);
        }

        /// <summary>Packs a column block's B panels, cut into ranges of panels.</summary>
        public void PackColumnBlock(ColumnBlock block, int parts)
        {
            (_block, _parts) = (block, parts);
            Parallelism.ForEachPart(parts, _packB);
        }

        /// <summary>Runs a batch of products, each on one thread, the batch cut into contiguous ranges.</summary>
        public void RunBatch(GemmProblem problem, GemmBatch batch, int parts)
        {
            (_problem, _batch, _parts) = (problem, batch, parts);
            Parallelism.ForEachPart(parts, _multiplyBatch);
        }

        /// <summary>Computes a column block on the row kernel, cut into ranges of whole panel groups.</summary>
        public void RunRows(ColumnBlock block, int parts)
        {
            (_block, _parts) = (block, parts);
            Parallelism.ForEachPart(parts, _computeRows);
        }

        private void ComputeRows(int part)
        {
            var (first, end) = Parallelism.PartRange(_block.Panels, _parts, part, FourPanels.Count);
            _block.ComputeRows(first, end);
        }

        private void PackB(int part)
        {
            var (first, end) = Parallelism.PartRange(_block.Panels, _parts, part);
            _block.PackB(first, end);
        }

        private void Compute(int part)
        {
            if (_splitRows)
            {
                var (rowStart, rowEnd) = Parallelism.PartRange(_block.Problem.M, _parts, part, TKernel.Rows);
                _block.Compute(rowStart, rowEnd, 0, _block.Panels);
            }
            else
            {
                var (first, end) = Parallelism.PartRange(_block.Panels, _parts, part);
                _block.Compute(0, _block.Problem.M, first, end);
            }
        }

        private void MultiplyBatch(int part)
        {
            var (start, end) = Parallelism.PartRange(_batch.Count, _parts, part);
            MultiplyRange(_problem, _batch, start, end);
        }
    }
}
