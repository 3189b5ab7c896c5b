// Pretraining benchmark steps, driven by bench/suites/pretrain.sh:
//   pretrain --corpus PATH... --output DIR [--preset mini] [--minutes 30] ...   masked-LM pretraining, perplexity curve
//   finetune (--model DIR | --preset P --fresh TOKENIZER) --train TSV --test TSV   SST-2 accuracy
//   step --config config.json [--batch 32 --tokens 128 --steps 5 --threads 2]    MLM training step tokens/s
using MLNet.Transformers.Bench;
using MLNet.Transformers.Bench.Pretrain;

var arguments = new Arguments(args.Length > 0 ? args[1..] : []);
switch (args.FirstOrDefault())
{
    case "pretrain": PretrainRun.Run(arguments); break;
    case "finetune": FineTune.Run(arguments); break;
    case "step": PretrainStep.Run(arguments); break;
    default:
        Console.Error.WriteLine("usage: pretrain | finetune | step (see bench/suites/pretrain.sh)");
        return 2;
}
return 0;
