using MLNet.Transformers.Tests.Common;

namespace MLNet.Transformers.Cli.Tests;

/// <summary>
/// What a new user hit: binary files read as text, option errors in .NET's words or naming a temporary copy, and a
/// <c>--max-length</c> beyond the model's position table. Each is refused with one line naming the option (or file),
/// the value and the valid range, exit code 2, and no output file.
/// </summary>
[TestClass]
public sealed class InputAndOptionErrorTests
{
    private static readonly string EmbedModel = TestPaths.Fixture("Transforms.Tests", "fixtures", "embed");

    public TestContext TestContext { get; set; } = null!;

    private string WorkFile(string name) => Path.Combine(TestContext.TestRunDirectory!, $"{TestContext.TestName}-{name}");

    private string TrainingFile() => ClassifierFixture.WriteTsv(WorkFile("train.tsv"), ClassifierFixture.Sentences().Take(40));

    /// <summary>A PNG signature and header: NUL bytes within the first block, as in any binary file.</summary>
    private static readonly byte[] BinaryContent = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

    [TestMethod]
    [DataRow("predict", "input.txt")]
    [DataRow("embed", "input.txt")]
    [DataRow("tokenize", "input.jsonl")]
    [DataRow("train", "data.tsv")]
    [DataRow("evaluate", "data.csv")]
    public void A_binary_file_is_refused_naming_it(string command, string fileName)
    {
        var input = WorkFile(fileName);
        File.WriteAllBytes(input, BinaryContent);
        var output = WorkFile("output.jsonl");
        string[] arguments = command switch
        {
            "predict" => ["predict", "--model", ClassifierFixture.Get().ModelPath, "--input", input, "--output", output],
            "embed" => ["embed", "--model", EmbedModel, "--input", input, "--output", output],
            "tokenize" => ["tokenize", "--tokenizer", ClassifierFixture.Tokenizer, "--input", input, "--output", output],
            "train" => ClassifierFixture.QuickTraining("--data", input, "--text-column", "sentence", "--label-column", "label", "--output", output),
            _ => ["evaluate", "--model", ClassifierFixture.Get().ModelPath, "--data", input, "--output", output],
        };

        CliAssert.BadInput(CliRunner.Run(arguments), output, input, "not a text file", "byte 9");
    }

    [TestMethod]
    public void Text_that_is_not_utf8_is_refused_naming_the_byte()
    {
        var input = WorkFile("latin1.txt");
        File.WriteAllBytes(input, [.. "caf"u8, 0xE9, (byte)'\n']);
        var output = WorkFile("output.jsonl");

        var result = CliRunner.Run("predict", "--model", ClassifierFixture.Get().ModelPath, "--input", input, "--output", output);

        CliAssert.BadInput(result, output, input, "not UTF-8", "byte 4", "0xE9");
    }

    [TestMethod]
    [DataRow("--epochs", "0", "--epochs 0: must be a whole number of at least 1.")]
    [DataRow("--batch-size", "-3", "--batch-size -3: must be a whole number of at least 1.")]
    [DataRow("--learning-rate", "0", "--learning-rate 0: must be a number greater than 0.")]
    [DataRow("--warmup-ratio", "1.5", "--warmup-ratio 1.5: must be a number from 0 to 1.")]
    [DataRow("--weight-decay", "-0.1", "--weight-decay -0.1: must be a number of at least 0.")]
    [DataRow("--dropout", "1", "--dropout 1: must be a number from 0 up to (not including) 1.")]
    [DataRow("--threads", "0", "--threads 0: must be a whole number of at least 1.")]
    [DataRow("--frozen-layers", "3", "--frozen-layers 3: must be a whole number from 0 to 2 (the model has 2 encoder layers).")]
    [DataRow("--patience", "2", "--patience 2: early stopping needs --validation data to watch.")]
    [DataRow("--device", "gpu", "--device gpu: Device 'gpu' is not known")]
    [DataRow("--device", "cuda:1", "--device cuda:1: this build of the tool has no TorchSharp backend")]
    public void Train_option_errors_name_the_option_the_value_and_the_range(string option, string value, string expected)
    {
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(FreshTinyTraining(TrainingFile(), output, option, value));
        CliAssert.BadInput(result, output, $"error: {expected}");
    }

    [TestMethod]
    public void Bf16_on_the_managed_engine_names_the_devices_to_choose()
    {
        var output = WorkFile("model.zip");
        var result = CliRunner.Run(FreshTinyTraining(TrainingFile(), output, "--bf16"));
        CliAssert.BadInput(result, output, "error: --bf16: the managed engine (--device cpu) trains in float32; choose --device torch:cpu, cuda or cuda:N");
    }

    /// <summary>The arguments of a training run of a fresh tiny model with only <paramref name="more"/> options set.</summary>
    private static string[] FreshTinyTraining(string data, string output, params string[] more) =>
        ["train", "--preset", "tiny", "--tokenizer", ClassifierFixture.Tokenizer, "--data", data, "--text-column", "sentence",
         "--label-column", "label", "--output", output, .. more];

    [TestMethod]
    public void Path_options_name_the_path_given_and_an_empty_value_is_called_empty()
    {
        var data = TrainingFile();
        var output = WorkFile("model.zip");
        string[] Train(params string[] model) =>
            ["train", "--data", data, "--text-column", "sentence", "--label-column", "label", "--output", output, "--epochs", "1", .. model];

        CliAssert.BadInput(CliRunner.Run(Train("--model", "")), output, "error: --model: the value is empty.");
        CliAssert.BadInput(CliRunner.Run("predict", "--model", ClassifierFixture.Get().ModelPath, "--input", "", "--output", output), output,
            "error: --input: the value is empty.");
        var missing = WorkFile("no-such-checkpoint");
        CliAssert.BadInput(CliRunner.Run(Train("--model", missing)), output, $"--model {missing}: no such folder");
        var missingTokenizer = WorkFile("no-such-vocab.txt");
        CliAssert.BadInput(CliRunner.Run(Train("--preset", "tiny", "--tokenizer", missingTokenizer)), output, $"--tokenizer {missingTokenizer}: no such file or folder");
    }

    [TestMethod]
    public void Output_errors_name_the_users_path_never_a_temporary_copy()
    {
        var input = WorkFile("input.txt");
        File.WriteAllLines(input, ["great food"]);
        var folder = WorkFile("a-folder");
        Directory.CreateDirectory(folder);
        var model = ClassifierFixture.Get().ModelPath;

        var intoFolder = CliRunner.Run("predict", "--model", model, "--input", input, "--output", folder);
        CliAssert.BadInput(intoFolder, null, $"{folder}: is a folder");
        Assert.IsEmpty(Directory.GetFiles(TestContext.TestRunDirectory!, $".{Path.GetFileName(folder)}*"), "no temporary file left");

        var unwritable = Path.Combine("/proc", "predictions.jsonl");
        var result = CliRunner.Run("predict", "--model", model, "--input", input, "--output", unwritable);
        CliAssert.BadInput(result, null, unwritable);
        Assert.DoesNotContain(".tmp", result.StandardError);
    }

    [TestMethod]
    public void Max_length_beyond_the_position_table_is_refused_with_the_limit_named()
    {
        var data = TrainingFile();
        var output = WorkFile("model.zip");

        var preset = CliRunner.Run(FreshTinyTraining(data, output, "--max-length", "100000"));
        CliAssert.BadInput(preset, output, "--max-length 100000: must be a whole number from 3 to 512", "fresh 'tiny' model");

        var checkpoint = CliRunner.Run("train", "--model", EmbedModel, "--data", data, "--text-column", "sentence", "--label-column", "label",
            "--output", output, "--max-length", "41");
        CliAssert.BadInput(checkpoint, output, "--max-length 41: must be a whole number from 3 to 40", "max_position_embeddings 40");

        var corpus = WorkFile("corpus.txt");
        File.WriteAllLines(corpus, ["a few words of text"]);
        var pretrainOutput = WorkFile("pretrained");
        var pretrain = CliRunner.Run("pretrain", "--corpus", corpus, "--output", pretrainOutput, "--preset", "tiny", "--max-length", "100000");
        CliAssert.BadInput(pretrain, null, "--max-length 100000: must be a whole number from 3 to 512");
        Assert.IsFalse(Directory.Exists(pretrainOutput));
    }
}
