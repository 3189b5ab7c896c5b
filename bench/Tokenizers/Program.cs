// Tokens per second of our tokenizer on a file of texts (one per line), encoded with EncodeBatch in batches, the way
// the Hugging Face peer (bench/peers/hf_tokenizers.js) runs encodeBatch on the same file.
//   bench-tokenizers TOKENIZER_PATH TEXTS_FILE THREADS REPETITIONS
// THREADS: 1, or 0 for all cores. Prints "tokens=<per pass> seconds=<fastest pass>".
using System.Diagnostics;
using System.Globalization;
using MLNet.Transformers.Tokenizers;

const int BatchSize = 1024;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: bench-tokenizers TOKENIZER_PATH TEXTS_FILE THREADS REPETITIONS");
    return 2;
}
var tokenizer = Tokenizer.Load(args[0]);
tokenizer.Truncation = null;
tokenizer.Padding = null;
var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
tokenizer.MaxDegreeOfParallelism = threads == 0 ? -1 : threads;
var repetitions = int.Parse(args[3], CultureInfo.InvariantCulture);
var batches = File.ReadAllLines(args[1]).Chunk(BatchSize).ToArray();

var tokens = Pass(tokenizer, batches);
var fastest = double.MaxValue;
for (var r = 0; r < repetitions; r++)
{
    var clock = Stopwatch.StartNew();
    Pass(tokenizer, batches);
    fastest = Math.Min(fastest, clock.Elapsed.TotalSeconds);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokens={tokens} seconds={fastest:F6}"));
return 0;

static long Pass(Tokenizer tokenizer, string[][] batches)
{
    long tokens = 0;
    foreach (var batch in batches)
        foreach (var encoding in tokenizer.EncodeBatch(batch))
            tokens += encoding.Length;
    return tokens;
}
