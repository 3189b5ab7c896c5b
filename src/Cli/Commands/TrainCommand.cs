using System.CommandLine;
using MLNet.Transformers.Cli.Common;
using MLNet.Transformers.Cli.Data;
using MLNet.Transformers.Cli.Training;

namespace MLNet.Transformers.Cli.Commands;

/// <summary>
/// <c>train --data FILE --text-column NAME [--text-pair-column NAME] --label-column NAME --output MODEL.zip
/// [--model DIR|FILE.onnx | --preset tiny|mini|small --tokenizer PATH | --architecture lstm|gru|attention-rnn --tokenizer PATH] [--validation FILE] [--device cpu|torch:cpu|cuda[:N]] [--bf16] [...]</c>: fine-tunes a text
/// classifier and saves the whole pipeline (label mapping, classifier, predicted-label mapping) as one zip, with a
/// training report beside it.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training rows: .tsv/.csv with a header (or --columns), or .jsonl.", Required = true };
        var textColumn = new Option<string>("--text-column") { Description = "The column holding the text.", Required = true };
        var pairColumn = new Option<string?>("--text-pair-column") { Description = "A second text column, for sentence-pair tasks." };
        var labelColumn = new Option<string>("--label-column") { Description = "The column holding the class (any text; at least two classes).", Required = true };
        var output = new Option<string>("--output") { Description = "The model zip to write; the report goes beside it as NAME.report.html, the metrics as NAME.metrics.json.", Required = true };
        var model = new Option<string?>("--model") { Description = "A checkpoint to fine-tune: a directory (BERT-family, Hugging Face layout) or a BERT-family .onnx file with its tokenizer.json or vocab.txt beside it. Weights it lacks (the classification head, a pooler) start fresh and are named in a warning." };
        var preset = new Option<string?>("--preset") { Description = "Start from a fresh model of this size instead: tiny, mini or small (needs --tokenizer; the default without --model is mini)." };
        var architecture = new Option<string?>("--architecture") { Description = "The network: transformer (default: a --model checkpoint or a fresh --preset), or a recurrent baseline trained from scratch with --tokenizer: lstm, gru or attention-rnn (a bidirectional layer of 128 per direction, 128-wide embeddings)." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "The tokenizer of a --preset model, or of a --model .onnx file without one beside it: a tokenizer.json, a vocab.txt or a checkpoint directory." };
        var validation = new Option<string?>("--validation") { Description = "Labelled rows to validate on after each epoch (keeps the best weights); same columns as --data." };
        var columns = CommonOptions.Columns();
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training data (trainer default 3)." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Examples per optimizer step (trainer default 32)." };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Peak learning rate (trainer default 5e-5 for a checkpoint, 5e-4 for a fresh preset model, 1e-3 for a recurrent network)." };
        var maxLength = new Option<int?>("--max-length") { Description = "Longest input in tokens; longer texts are truncated and counted (default 128, or less when the model holds less; at most the model's position table: max_position_embeddings of a checkpoint, 512 for a fresh preset)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of initialisation, shuffling and dropout (trainer default 42)." };
        var warmup = new Option<float?>("--warmup-ratio") { Description = "Fraction of the steps spent warming the learning rate up (trainer default 0.1)." };
        var weightDecay = new Option<float?>("--weight-decay") { Description = "AdamW decoupled weight decay (trainer default 0.01)." };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many validations without improvement (needs --validation; default: no early stopping)." };
        var threads = new Option<int?>("--threads") { Description = "Degree of parallelism (default: all cores)." };
        var device = DeviceChoice.Create();
        var bf16 = DeviceChoice.MixedPrecision();
        var dropout = new Option<float?>("--dropout") { Description = "Dropout of hidden states, attention and classifier (default: the model's, 0.1 for presets)." };
        var frozenLayers = new Option<int?>("--frozen-layers") { Description = "Freeze the embeddings and the first N encoder layers (default 0)." };

        var command = new Command("train", "Fine-tune a transformer text classifier; the whole pipeline goes into one zip.")
        {
            data, textColumn, pairColumn, labelColumn, output, model, preset, architecture, tokenizer, validation, columns,
            epochs, batchSize, learningRate, maxLength, seed, warmup, weightDecay, patience, threads, device, bf16, dropout, frozenLayers,
        };
        command.SetAction(parse => CliErrors.Run(() => TrainRun.Execute(new TrainSettings
        {
            DataPath = parse.GetRequiredValue(data),
            TextColumn = parse.GetRequiredValue(textColumn),
            PairColumn = parse.GetValue(pairColumn),
            LabelColumn = parse.GetRequiredValue(labelColumn),
            OutputPath = parse.GetRequiredValue(output),
            ModelDirectory = parse.GetValue(model),
            Preset = parse.GetValue(preset),
            Architecture = parse.GetValue(architecture),
            TokenizerPath = parse.GetValue(tokenizer),
            ValidationPath = parse.GetValue(validation),
            Columns = DataFileReader.ParseColumnNames(parse.GetValue(columns)),
            Epochs = parse.GetValue(epochs),
            BatchSize = parse.GetValue(batchSize),
            LearningRate = parse.GetValue(learningRate),
            MaxLength = parse.GetValue(maxLength),
            Seed = parse.GetValue(seed),
            WarmupRatio = parse.GetValue(warmup),
            WeightDecay = parse.GetValue(weightDecay),
            Patience = parse.GetValue(patience),
            Threads = parse.GetValue(threads),
            Device = parse.GetValue(device),
            BFloat16 = parse.GetValue(bf16),
            Dropout = parse.GetValue(dropout),
            FrozenLayers = parse.GetValue(frozenLayers),
        })));
        return command;
    }
}
