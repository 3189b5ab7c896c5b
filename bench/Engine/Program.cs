using MLNet.Transformers.Bench.Engine;
using MLNet.Transformers.Tensors;

// Engine benchmarks, one step per argument: `gemm` (SGEMM vs OpenBLAS). Options: --threads N, --kernel NAME.
// Prints markdown tables, then as its last line the summary values as key=value pairs.
var steps = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads":
            Parallelism.Degree = int.Parse(args[++i]);
            break;
        case "--kernel":
            Gemm.Kernel = Enum.Parse<GemmKernel>(args[++i], ignoreCase: true);
            break;
        default:
            steps.Add(args[i]);
            break;
    }
}

var summary = new Dictionary<string, string>();
foreach (var step in steps)
{
    var values = step switch
    {
        "gemm" => GemmBenchmark.Run(Console.Out),
        _ => throw new ArgumentException($"Unknown step '{step}' (steps: gemm)."),
    };
    foreach (var (key, value) in values)
        summary[key] = value;
    Console.WriteLine();
}

Console.WriteLine(string.Join(' ', summary.Select(pair => $"{pair.Key}={pair.Value}")));
