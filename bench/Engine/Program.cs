using MLNet.Transformers.Bench.Engine;
using MLNet.Transformers.Tensors;

// Engine benchmarks, one step per argument: `gemm` (SGEMM vs OpenBLAS), `batched` (attention-sized batches),
// `int8` (8-bit products vs the float ones and the CPU's VNNI peak).
// Options: --threads N, --kernel NAME (a GemmKernel), --shape MxKxN (repeatable; default: the BERT-base layer shapes).
// Prints markdown tables, then as its last line the summary values as key=value pairs.
var steps = new List<string>();
var shapes = new List<(int M, int K, int N)>();
var (threads, kernel) = (Environment.ProcessorCount, GemmKernel.Auto);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads":
            threads = int.Parse(args[++i]);
            break;
        case "--kernel":
            kernel = Enum.Parse<GemmKernel>(args[++i], ignoreCase: true);
            break;
        case "--shape":
            var sizes = args[++i].Split('x').Select(int.Parse).ToArray();
            shapes.Add((sizes[0], sizes[1], sizes[2]));
            break;
        default:
            steps.Add(args[i]);
            break;
    }
}

using var engine = EngineScope.Enter(threads, kernel); // the main thread's degree and kernel, for the rest of the run
var summary = new Dictionary<string, string>();
foreach (var step in steps)
{
    var values = step switch
    {
        "gemm" => GemmBenchmark.Run(Console.Out, shapes.Count > 0 ? shapes : GemmBenchmark.DefaultShapes),
        "batched" => BatchedGemmBenchmark.Run(Console.Out),
        "int8" => Int8GemmBenchmark.Run(Console.Out, shapes.Count > 0 ? shapes : Int8GemmBenchmark.DefaultShapes),
        _ => throw new ArgumentException($"Unknown step '{step}' (steps: gemm, batched, int8)."),
    };
    foreach (var (key, value) in values)
        summary[key] = value;
    Console.WriteLine();
}

Console.WriteLine(string.Join(' ', summary.Select(pair => $"{pair.Key}={pair.Value}")));
