// GPT-2 benchmark steps, driven by bench/suites/gpt.sh:
//   step --config config.json [--batch 8 --tokens 256 --steps 5 --threads 2]          causal-LM training step tokens/s
//   generate --config config.json [--batch 1 --prompt 32 --new 64 --threads 2]        greedy generation tokens/s (KV cache)
//   pretrain --corpus PATH... --config config.json --output DIR [--minutes 30] ...    causal-LM pretraining, perplexity curve
using MLNet.Transformers.Bench;
using MLNet.Transformers.Bench.Gpt;

var arguments = new Arguments(args.Length > 0 ? args[1..] : []);
switch (args.FirstOrDefault())
{
    case "step": GptStep.Run(arguments); break;
    case "generate": GptGenerate.Run(arguments); break;
    case "pretrain": GptPretrain.Run(arguments); break;
    default:
        Console.Error.WriteLine("usage: step | generate | pretrain (see bench/suites/gpt.sh)");
        return 2;
}
return 0;
