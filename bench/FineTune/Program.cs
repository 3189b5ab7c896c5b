// Fine-tuning benchmark, ours (driven by bench/suites/finetune.sh; the peer is bench/peers/torch_finetune.py):
//   ours --model DIR --data SST2_DIR --work DIR [--epochs 1] [--batch 32] [--learning-rate 1e-4] [--tokens 64]
//        [--validate-every 500] [--dropout 0] [--seed 1] [--threads 2] [--max-steps N]
// Fine-tunes the checkpoint DIR into a binary classifier on SST2_DIR/train.tsv with TrainingLoop (the loop the
// trainer runs), scoring dev.tsv every --validate-every steps and at the end to keep the best weights, then scores
// test.tsv. Writes into the work folder everything the peer needs to run the same recipe: config.json, the starting
// weights (init.safetensors: the checkpoint's, plus the fresh pooler and head), the tokenized sets
// (train/dev/test.txt) and plan.json (every batch's examples, every step's learning rate, the validation steps, the
// optimizer's settings). Last line: "test_accuracy=A dev_accuracy=D best_step=S steps=N examples_per_second=E".
using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Bench;
using MLNet.Transformers.Bench.FineTune;
using MLNet.Transformers.Models.Checkpoints;
using MLNet.Transformers.Models.Configuration;
using MLNet.Transformers.Models.Heads;
using MLNet.Transformers.Tensors;
using MLNet.Transformers.Tokenizers;
using MLNet.Transformers.Trainers.Training;

if (args.FirstOrDefault() != "ours")
{
    Console.Error.WriteLine("usage: ours --model DIR --data SST2_DIR --work DIR [...] (see bench/suites/finetune.sh)");
    return 2;
}
var arguments = new Arguments(args[1..]);
var (checkpointPath, data, work) = (arguments.Required("--model"), arguments.Required("--data"), arguments.Required("--work"));
var seed = arguments.Int("--seed", 1);
var maxTokens = arguments.Int("--tokens", 64);
var dropout = arguments.Double("--dropout", 0);
Directory.CreateDirectory(work);

// The classifier as the trainer builds it: every weight from the seed, then the checkpoint's over them.
var config = BertConfig.Load(Path.Combine(checkpointPath, BertConfig.FileName));
config.Labels = ["0", "1"];
(config.HiddenDropoutProb, config.AttentionProbsDropoutProb, config.ClassifierDropout) = (dropout, dropout, dropout);
var model = new BertForSequenceClassification(config, (ulong)seed);
model.Initialize((ulong)seed);
LoadReport report;
using (var weights = CheckpointFiles.Open(checkpointPath)) report = model.LoadPretrainedWeights(weights);
Console.Error.WriteLine($"newly initialized: {string.Join(", ", report.Missing)}");
config.Save(Path.Combine(work, BertConfig.FileName));
model.SaveWeights(Path.Combine(work, "init.safetensors"));

var tokenizer = Tokenizer.Load(Path.Combine(checkpointPath, "tokenizer.json"));
var sets = new[] { "train", "dev", "test" }.ToDictionary(name => name, name =>
{
    var set = LabeledSequences.Read(Path.Combine(data, $"{name}.tsv"), tokenizer, maxTokens);
    set.Write(Path.Combine(work, $"{name}.txt"));
    Console.Error.WriteLine($"{name}: {set.Count} sentences, {set.Truncated} longer than {maxTokens} tokens (truncated)");
    return set;
});

var options = new TrainingOptions
{
    Epochs = arguments.Int("--epochs", 1), BatchSize = arguments.Int("--batch", 32), Seed = seed,
    LearningRate = (float)arguments.Double("--learning-rate", 1e-4), ValidateEverySteps = arguments.Int("--validate-every", 500),
    MaxSteps = arguments.Text("--max-steps") is null ? null : arguments.Int("--max-steps", 0), RestoreBestWeights = true,
};
var threads = arguments.Int("--threads", 2);
var training = new RecordingClassifier(model, sets["train"]);
var validating = new Stopwatch();
ValidationResult Validate()
{
    validating.Start();
    var result = Scoring.Score(model, sets["dev"]);
    validating.Stop();
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {training.Batches.Count}: dev accuracy {result.Accuracy:F4}, loss {result.Loss:F4}"));
    return result;
}
var (history, seconds, test) = Parallelism.WithDegree(threads, () =>
{
    var watch = Stopwatch.StartNew();
    var history = new TrainingLoop(training, options, Validate).Run();
    var seconds = watch.Elapsed.TotalSeconds - validating.Elapsed.TotalSeconds;
    return (history, seconds, Scoring.Score(model, sets["test"]));
});

var adamW = new AdamWOptions { WeightDecay = options.WeightDecay };
FineTunePlan.Write(Path.Combine(work, FineTunePlan.FileName), new FineTunePlan
{
    Batches = training.Batches, LearningRates = [.. history.Steps.Select(s => s.LearningRate)],
    ValidateAfter = [.. history.Validations.Select(v => v.Step)],
    Decayed = [.. model.Parameters.Where(p => p.WeightDecay).Select(p => p.Name)],
    WeightDecay = adamW.WeightDecay, Beta1 = adamW.Beta1, Beta2 = adamW.Beta2, Epsilon = adamW.Epsilon,
    MaxGradientNorm = options.MaxGradientNorm, ScoringBatchSize = Scoring.BatchSize, Threads = threads,
});
var examples = training.Batches.Sum(b => b.Length);
var best = history.Validations.First(v => v.Step == history.BestStep);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test_accuracy={test.Accuracy:F4} dev_accuracy={best.Result.Accuracy:F4} best_step={history.BestStep} steps={history.Steps.Count} examples_per_second={examples / seconds:F1}"));
return 0;
