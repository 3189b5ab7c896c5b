using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Bench.Study;

/// <summary>
/// Writes docs/why-transformers.md and its figures from one run's <see cref="StudyResults"/>. Every sentence that
/// states a finding is built from the measured values (which is faster, by how much, where accuracy falls), so the
/// text cannot claim what the run did not show.
/// </summary>
internal static class StudyReport
{
    /// <summary>The sentence both attention maps are drawn on (an SST-2 test sentence).</summary>
    public const string AttentionSentence = "it 's a charming and often affecting journey .";

    public static string Write(StudyResults r, string figures, string sentence, TimeSpan elapsed, string command, string machine)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(figures));
        string Figure(string name, string svg)
        {
            File.WriteAllText(Path.Combine(figures, name), svg);
            return $"{folder}/{name}";
        }
        var md = new StringBuilder();
        md.AppendLine("# Why transformers: the recurrent baseline, measured");
        md.AppendLine();
        md.AppendLine("Before attention, text was read by recurrent networks: an LSTM or a GRU carries a state from one token to the");
        md.AppendLine("next. Three limits are usually given for them: the steps cannot run in parallel, gradients fade (or blow up) as");
        md.AppendLine("they travel back through time, so what lies far back is learned poorly, and the memory is short. Attention was");
        md.AppendLine("first added on top of an RNN (a context vector over all its states) and then replaced it (the transformer's");
        md.AppendLine("self-attention). This page measures each claim with this project's own engine: the LSTM, GRU and attention-RNN");
        md.AppendLine("are the text classifier's `Architecture` options (`docs/engine.md`, \"Recurrent layers\"), the transformer its");
        md.AppendLine("BERT-style encoder, all trained by the same code.");
        md.AppendLine();
        md.AppendLine(Invariant($"Every number and figure here comes from one run of `{command}` ({elapsed.TotalMinutes:F1} minutes; {r.Threads} threads; {machine})."));
        if (r.Plan.Quick)
        {
            md.AppendLine();
            md.AppendLine("**This is a `--quick` smoke run**: every experiment at a small size (few steps, short sequences, few rows), to check");
            md.AppendLine("the pipeline end to end. Its numbers are not the study's findings; the full run (`bench/run study`) replaces them.");
        }
        md.AppendLine();

        // 1. Throughput.
        var t = r.ThroughputShape;
        md.AppendLine("## 1. Sequential steps: training throughput against sequence length");
        md.AppendLine();
        md.AppendLine(Invariant($"Forward and backward of a batch of {r.Plan.ThroughputBatch} random sequences of each length, after a warm-up (the optimizer step, which does"));
        md.AppendLine(Invariant($"not depend on the length, is left out), examples per second of wall time on {r.Threads} threads. The networks: a"));
        md.AppendLine(Invariant($"bidirectional LSTM and GRU of {t.Width} per direction over {t.Width}-wide embeddings, and a transformer of {t.TransformerLayers} layer"));
        md.AppendLine(Invariant($"({t.Width} wide, {t.Heads} heads, feed-forward {4 * t.Width}); parameters outside the embeddings: {ParameterCounts(t)}."));
        md.AppendLine();
        md.AppendLine($"![throughput]({Figure("throughput.svg", ThroughputPlot(r))})");
        md.AppendLine();
        md.AppendLine(Table(["length", .. r.Throughput.Keys.Select(k => $"{k} examples/s")],
            r.Plan.ThroughputLengths.Select(length => (IEnumerable<string>)[length.ToString(CultureInfo.InvariantCulture),
                .. r.Throughput.Values.Select(v => v.Single(p => p.Length == length).ExamplesPerSecond.ToString("F1", CultureInfo.InvariantCulture))])));
        md.AppendLine(ThroughputFindings(r));
        md.AppendLine();

        // 2. Long range.
        var s = r.SyntheticShape;
        md.AppendLine("## 2. Short memory: a token to carry over a distance");
        md.AppendLine();
        md.AppendLine(Invariant($"Each sequence is `[CLS]`, {LongRangeTask.Lead} noise tokens, one of {LongRangeTask.Classes} class tokens, then more noise, so that the"));
        md.AppendLine(Invariant($"class token sits d positions from the end; the label is which class token it was (chance: {1.0 / LongRangeTask.Classes:F2}). Noise"));
        md.AppendLine(Invariant($"tokens are never class tokens, so all a network has to do is carry one token to where it is read. Every network"));
        md.AppendLine(Invariant($"trains {r.Plan.LongRangeSteps} steps of {r.Plan.SyntheticBatch} fresh sequences (AdamW at {r.Plan.SyntheticLearningRate.ToString(CultureInfo.InvariantCulture)} with weight decay 0.01, clipping at 1; the RNNs initialised as PyTorch's, with no forget-gate bias offset), then is scored"));
        md.AppendLine(Invariant($"on {r.Plan.SyntheticTestCount} new ones. The recurrent networks are one-directional here (a reverse direction, reading from the end, would meet the token"));
        md.AppendLine(Invariant($"{LongRangeTask.Lead} steps before it finishes) with {s.Width}-wide states and embeddings; they read their last state, the"));
        md.AppendLine(Invariant($"attention-RNN its attention context; the transformer ({s.TransformerLayers} layer, {s.Width} wide) reads `[CLS]`."));
        md.AppendLine();
        md.AppendLine($"![long range]({Figure("long-range.svg", LongRangePlot(r))})");
        md.AppendLine();
        md.AppendLine(Table(["distance d", .. r.LongRange.Keys.Select(k => $"{k} accuracy")],
            r.Plan.Distances.Select(d => (IEnumerable<string>)[d.ToString(CultureInfo.InvariantCulture),
                .. r.LongRange.Values.Select(v => v.Single(p => p.Distance == d).Accuracy.ToString("F3", CultureInfo.InvariantCulture))])));
        md.AppendLine(LongRangeFindings(r));
        md.AppendLine();

        // 3. Gradients.
        md.AppendLine("## 3. Vanishing gradients: how much gradient reaches each position");
        md.AppendLine();
        md.AppendLine(Invariant($"At initialisation, the norm of the loss's gradient with respect to the embedding of each of {r.Plan.GradientLength} tokens"));
        md.AppendLine(Invariant($"(every position a different token, so each embedding row's gradient is one position's), against the distance from the"));
        md.AppendLine(Invariant($"position the head reads (the RNNs' last state, the transformer's first token), mean over {r.Plan.GradientTrials} random sequences"));
        md.AppendLine("and labels. Same networks and sizes as in section 2.");
        md.AppendLine();
        md.AppendLine($"![gradients]({Figure("gradient-norms.svg", GradientPlot(r))})");
        md.AppendLine();
        md.AppendLine(GradientFindings(r));
        md.AppendLine();

        // 4. Real data.
        md.AppendLine("## 4. Accuracy on SST-2 and AG News with the same budget");
        md.AppendLine();
        md.AppendLine(Invariant($"The text-classification trainer itself (`Architecture` = each value), every network from scratch with the"));
        md.AppendLine(Invariant($"bert-base-uncased tokenizer, one epoch over the same rows in batches of 32, seed 1, each at its trainer-default"));
        md.AppendLine(Invariant($"learning rate (1e-3 recurrent, 5e-4 fresh transformer). The recurrent networks are the trainer's defaults (one"));
        md.AppendLine(Invariant($"bidirectional layer of 128 per direction, 128-wide embeddings); the transformer is the `tiny` preset (2 layers of 128)."));
        md.AppendLine(Invariant($"SST-2: the first {r.Plan.Sst2Rows:N0} rows of `train.tsv`, at most 64 tokens, scored on {r.Sst2TestRows} rows of `test.tsv`."));
        md.AppendLine(Invariant($"AG News (no training file in the shared data): {r.Plan.AgNewsRows:N0} rows of `dev.tsv`, at most 128 tokens, scored on {r.AgNewsTestRows:N0} rows of `test.tsv`."));
        md.AppendLine("Parameters are counted outside the embedding tables (the tables are the same size for all: 30,522 × 128).");
        md.AppendLine();
        md.AppendLine(Table(["architecture", "SST-2 accuracy", "SST-2 training s", "AG News accuracy", "AG News training s", "parameters"],
            r.Sst2.Zip(r.AgNews).Select(p => (IEnumerable<string>)[p.First.Architecture, F(p.First.Accuracy, "F4"), F(p.First.TrainSeconds, "F0"),
                F(p.Second.Accuracy, "F4"), F(p.Second.TrainSeconds, "F0"), p.First.Parameters.ToString("N0", CultureInfo.InvariantCulture)])));
        md.AppendLine(RealDataFindings(r));
        md.AppendLine();

        // 5. Attention maps.
        md.AppendLine("## 5. What attention looks at");
        md.AppendLine();
        md.AppendLine("The attention-RNN trained on SST-2 above: its weights over the tokens of one test sentence (how much of the context");
        md.AppendLine("vector the head reads comes from each token's states), and the SST-2 transformer's attention from `[CLS]` (the");
        md.AppendLine("token its classifier reads) in every layer and head; both from `TextClassificationTransformer.GetAttention`, which the");
        md.AppendLine("CLI's `attention --model MODEL.zip` draws whole.");
        md.AppendLine();
        var rnn = r.Sst2.Single(x => x.Architecture == "attention-rnn").Classifier.GetAttention(sentence);
        var tokens = rnn.Tokens;
        var weights = rnn.Map(0, 0).ToArray();
        md.AppendLine($"![attention-RNN]({Figure("attention-rnn.svg", SvgPlot.Heatmap($"attention-RNN weights over time: \"{sentence}\"", tokens, [("α", weights)]))})");
        md.AppendLine();
        var transformer = r.Sst2.Single(x => x.Architecture == "transformer").Classifier.GetAttention(sentence);
        var rows = (from layer in Enumerable.Range(0, transformer.Layers)
                    from head in Enumerable.Range(0, transformer.Heads)
                    select ($"layer {layer + 1} head {head + 1}", transformer.Map(layer, head)[..tokens.Count].ToArray())).ToList(); // row 0: [CLS]
        md.AppendLine($"![transformer]({Figure("attention-transformer.svg", SvgPlot.Heatmap("transformer: attention of [CLS]", tokens, rows))})");
        md.AppendLine();
        md.AppendLine(Invariant($"The attention-RNN puts its largest weight on `{tokens[Array.IndexOf(weights, weights.Max())]}` ({weights.Max():F3}; uniform would be {1.0 / tokens.Count:F3});"));
        md.AppendLine(string.Join("; ", rows.Select(row => Invariant($"transformer {row.Item1} on `{tokens[Array.IndexOf(row.Item2, row.Item2.Max())]}` ({row.Item2.Max():F3})"))) + ".");
        return md.ToString();
    }

    /// <summary>The summary line bench/run prints.</summary>
    public static string Summary(StudyResults r)
    {
        double Rate(string name, int length) => r.Throughput[name].Single(p => p.Length == length).ExamplesPerSecond;
        var longest = r.Plan.ThroughputLengths.Max();
        var farthest = r.Plan.Distances.Max();
        double Acc(string name) => r.LongRange[name].Single(p => p.Distance == farthest).Accuracy;
        return Invariant($"study: transformer_vs_lstm_at_{longest}={Rate("transformer", longest) / Rate("LSTM", longest):F2} lstm_acc_d{farthest}={Acc("LSTM"):F3} transformer_acc_d{farthest}={Acc("transformer"):F3} ")
            + Invariant($"sst2_lstm={r.Sst2[1].Accuracy:F4} sst2_transformer={r.Sst2[0].Accuracy:F4} agnews_lstm={r.AgNews[1].Accuracy:F4} agnews_transformer={r.AgNews[0].Accuracy:F4}");
    }

    private static string ParameterCounts(NetworkShape shape) =>
        string.Join(", ", StudyNetwork.All(shape, 0, withAttentionRnn: false).Select(n => $"{n.Name} {n.SequenceModelParameters:N0}"));

    private static string ThroughputFindings(StudyResults r)
    {
        var (shortest, longest) = (r.Plan.ThroughputLengths.Min(), r.Plan.ThroughputLengths.Max());
        double Rate(string name, int length) => r.Throughput[name].Single(p => p.Length == length).ExamplesPerSecond;
        string Compare(string rnn, int length)
        {
            var ratio = Rate("transformer", length) / Rate(rnn, length);
            return ratio >= 1 ? Invariant($"the transformer trains {ratio:F2}× as many examples/s as the {rnn}") : Invariant($"the {rnn} trains {1 / ratio:F2}× as many examples/s as the transformer");
        }
        var tokens = string.Join(", ", r.Throughput.Keys.Select(n => Invariant($"{n} {Rate(n, shortest) * shortest:N0} → {Rate(n, longest) * longest:N0}")));
        return Invariant($"\nAt length {shortest}, {Compare("LSTM", shortest)} and {Compare("GRU", shortest)}; at length {longest}, {Compare("LSTM", longest)} and {Compare("GRU", longest)}. ")
            + Invariant($"Tokens per second from length {shortest} to {longest}: {tokens}. An RNN step multiplies only the batch's {r.Plan.ThroughputBatch} states by its ")
            + Invariant($"recurrent weights, one step after another (an LSTM step's product is {r.Plan.ThroughputBatch}×{4 * r.ThroughputShape.Width}×{r.ThroughputShape.Width} = {r.Plan.ThroughputBatch * 4 * r.ThroughputShape.Width * r.ThroughputShape.Width:N0} multiply-adds, ")
            + "below the 2²¹ under which the engine runs a product on one thread), while the transformer's products cover every position at once; its attention grows with the square of the length.";
    }

    private static string LongRangeFindings(StudyResults r)
    {
        var lines = r.LongRange.Select(kv =>
        {
            var solved = kv.Value.Where(p => p.Accuracy >= 0.9).Select(p => p.Distance).ToList();
            var failed = kv.Value.Where(p => p.Accuracy < 0.9).Select(p => p.Distance).ToList();
            var reach = solved.Count == 0 ? "at no distance" : failed.Count == 0 ? "at every distance" : $"at d = {string.Join(", ", solved)}, not at d = {string.Join(", ", failed)}";
            return $"{kv.Key} reaches 90 % {reach}";
        });
        return $"\nWithin this budget: {string.Join("; ", lines)}.";
    }

    private static string GradientFindings(StudyResults r)
    {
        var parts = r.Gradients.Select(kv => Invariant($"{kv.Key} {kv.Value[^1] / kv.Value[0]:E1} ({kv.Value[^1] / kv.Value[1]:E1})"));
        return Invariant($"Gradient norm at distance {r.Plan.GradientLength - 1} relative to distance 0 (and to distance 1, since the read-out position ")
            + Invariant($"itself also reaches the head directly): {string.Join(", ", parts)}.");
    }

    private static string RealDataFindings(StudyResults r)
    {
        string Best(List<RealDataResult> results) { var best = results.MaxBy(x => x.Accuracy)!; return Invariant($"{best.Architecture} ({best.Accuracy:F4})"); }
        return $"\nMost accurate within this budget: SST-2 {Best(r.Sst2)}, AG News {Best(r.AgNews)}. None of these networks is pretrained; "
            + "a pretrained transformer fine-tuned on SST-2 is in `docs/benchmarks.md` (finetune suite).";
    }

    private static string ThroughputPlot(StudyResults r) => new SvgPlot
    {
        Title = "Training throughput", XLabel = "sequence length (tokens)", YLabel = "examples / s", LogX = true, LogY = true,
    }.Render([.. r.Throughput.Select(kv => new PlotSeries(kv.Key, [.. kv.Value.Select(p => ((double)p.Length, p.ExamplesPerSecond))]))]);

    private static string LongRangePlot(StudyResults r) => new SvgPlot
    {
        Title = "Long-range task: accuracy vs distance", XLabel = "distance d of the class token from the end", YLabel = "test accuracy", LogX = true, YRange = (0, 1),
    }.Render([.. r.LongRange.Select(kv => new PlotSeries(kv.Key, [.. kv.Value.Select(p => ((double)p.Distance, p.Accuracy))]))]);

    private static string GradientPlot(StudyResults r) => new SvgPlot
    {
        Title = "Gradient reaching each position (at initialisation)", XLabel = "distance from the read-out position", YLabel = "‖∂loss/∂embedding‖", LogY = true,
    }.Render([.. r.Gradients.Select(kv => new PlotSeries(kv.Key, [.. kv.Value.Select((v, i) => ((double)i, v))]))]);

    private static string Table(IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var head = header.ToList();
        var md = new StringBuilder();
        md.AppendLine($"| {string.Join(" | ", head)} |");
        md.AppendLine($"| {string.Join(" | ", head.Select(_ => "---:"))} |");
        foreach (var row in rows) md.AppendLine($"| {string.Join(" | ", row)} |");
        return md.ToString();
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
