// Tokenizers side by side on a file of texts (one per line), in batches of 1024 texts, the way the Hugging Face peer
// (bench/peers/hf_tokenizers.js) runs encodeBatch on the same file:
//   bench-tokenizers speed CONTENDER TOKENIZER_PATH TEXTS_FILE THREADS REPETITIONS
//     THREADS: 1 (one text after another) or 0 (all cores). Prints "tokens=<per pass> seconds=<fastest pass>".
//   bench-tokenizers identity CONTENDER TOKENIZER_PATH TEXTS_FILE REFERENCE_IDS [EXAMPLES_FILE]
//     REFERENCE_IDS: Hugging Face's ids of each text, one line each, space-separated. Prints "identical=<texts> of=<texts>";
//     writes the texts that differ with both id sequences to EXAMPLES_FILE.
// CONTENDER: see Contender.Create.
using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Bench.Tokenizers;

const int BatchSize = 1024;

switch (args)
{
    case ["speed", var name, var path, var textsFile, var threadsText, var repetitionsText]:
        Speed(Contender.Create(name, path), File.ReadAllLines(textsFile), threadsText == "0", int.Parse(repetitionsText, CultureInfo.InvariantCulture));
        return 0;
    case ["identity", var name, var path, var textsFile, var referenceFile, .. var rest] when rest.Length <= 1:
        Identity(Contender.Create(name, path), File.ReadAllLines(textsFile), File.ReadAllLines(referenceFile), rest.FirstOrDefault());
        return 0;
    default:
        Console.Error.WriteLine("usage: bench-tokenizers speed CONTENDER TOKENIZER_PATH TEXTS_FILE THREADS REPETITIONS");
        Console.Error.WriteLine("       bench-tokenizers identity CONTENDER TOKENIZER_PATH TEXTS_FILE REFERENCE_IDS [EXAMPLES_FILE]");
        return 2;
}

static void Speed(Contender contender, string[] texts, bool allThreads, int repetitions)
{
    var batches = texts.Chunk(BatchSize).ToArray();
    long Pass() => batches.Sum(batch => contender.EncodeBatch(batch, allThreads));

    var tokens = Pass();
    var fastest = double.MaxValue;
    for (var r = 0; r < repetitions; r++)
    {
        var clock = Stopwatch.StartNew();
        Pass();
        fastest = Math.Min(fastest, clock.Elapsed.TotalSeconds);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokens={tokens} seconds={fastest:F6}"));
}

static void Identity(Contender contender, string[] texts, string[] reference, string? examplesFile)
{
    if (reference.Length != texts.Length) throw new InvalidDataException($"{reference.Length} reference lines for {texts.Length} texts");
    var buffer = Contender.Buffer();
    var identical = 0;
    using var examples = examplesFile is null ? TextWriter.Null : File.CreateText(examplesFile);
    for (var i = 0; i < texts.Length; i++)
    {
        var ids = string.Join(' ', buffer.Take(contender.Encode(texts[i], buffer)));
        if (ids == reference[i]) identical++;
        else examples.Write($"{texts[i]}\n  peer {ids}\n  hf   {reference[i]}\n");
    }
    Console.WriteLine($"identical={identical} of={texts.Length}");
}
