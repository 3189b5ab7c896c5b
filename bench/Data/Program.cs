// Streaming benchmark of the pipeline layer.
//   generate PATH MEGABYTES   writes a TSV (label, text, value) of about that size, deterministic.
//   run PATH                  fits MapValueToKey on the label (one pass), transforms (a second pass) reading the key,
//                             the text and the value, and prints one JSON line: rows, seconds, MB/s, peak RSS.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MLNet.Transformers.Data;
using MLNet.Transformers.Data.Bench;

return args switch
{
    ["generate", var path, var megabytes] => Generator.Write(path, long.Parse(megabytes, CultureInfo.InvariantCulture) << 20),
    ["run", var path] => Streaming.Run(path),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate PATH MEGABYTES | run PATH");
    return 2;
}

namespace MLNet.Transformers.Data.Bench
{
    /// <summary>The rows of the benchmark file.</summary>
    public sealed class Row
    {
        [LoadColumn(0)]
        public string Label { get; set; } = "";

        [LoadColumn(1)]
        public string Text { get; set; } = "";

        [LoadColumn(2)]
        public float Value { get; set; }
    }

    internal static class Streaming
    {
        public static int Run(string path)
        {
            var context = new TransformersContext(seed: 1);
            var watch = Stopwatch.StartNew();
            var data = context.Data.LoadFromTextFile<Row>(path, hasHeader: true);
            var keyed = context.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(data).Transform(data);
            var (key, text, value) = (keyed.Schema["LabelKey"], keyed.Schema["Text"], keyed.Schema["Value"]);
            long rows = 0, keySum = 0, characters = 0;
            double valueSum = 0;
            using (var cursor = keyed.GetRowCursor([key, text, value]))
            {
                var getKey = cursor.GetGetter<uint>(key);
                var getText = cursor.GetGetter<ReadOnlyMemory<char>>(text);
                var getValue = cursor.GetGetter<float>(value);
                uint k = 0;
                ReadOnlyMemory<char> t = default;
                float v = 0;
                while (cursor.MoveNext())
                {
                    getKey(ref k);
                    getText(ref t);
                    getValue(ref v);
                    rows++;
                    keySum += k;
                    characters += t.Length;
                    valueSum += v;
                }
            }
            double seconds = watch.Elapsed.TotalSeconds;
            double megabytes = new FileInfo(path).Length / (double)(1 << 20);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"rows\": {rows}, \"seconds\": {seconds:F3}, \"mb_per_s\": {2 * megabytes / seconds:F1}, \"peak_rss_mb\": {PeakRssMegabytes():F1}, \"checksum\": \"{keySum}-{characters}-{valueSum:F0}\"}}"));
            return 0;
        }

        /// <summary>The process's peak resident set (VmHWM) in MiB.</summary>
        private static double PeakRssMegabytes()
        {
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
    }

    internal static class Generator
    {
        private static readonly string[] Labels = ["positive", "negative", "neutral", "mixed", "spam"];
        private static readonly string[] Words =
            ["the", "film", "was", "not", "quite", "what", "we", "expected", "but", "acting", "great", "plot", "slow", "music",
             "loved", "it", "boring", "ending", "surprising", "camera", "work", "and", "a", "story", "of", "two", "friends"];

        public static int Write(string path, long bytes)
        {
            var random = new Random(20251125);
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
            writer.Write("label\ttext\tvalue\n");
            var line = new StringBuilder();
            long written = 0;
            while (written < bytes)
            {
                line.Clear().Append(Labels[random.Next(Labels.Length)]).Append('\t');
                int count = random.Next(5, 40);
                for (int w = 0; w < count; w++) line.Append(w == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
                line.Append('\t').Append((random.Next(0, 10_000) / 100.0).ToString(CultureInfo.InvariantCulture)).Append('\n');
                writer.Write(line);
                written += line.Length;
            }
            return 0;
        }
    }
}
