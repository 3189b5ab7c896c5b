using System.Globalization;
using System.Text;

namespace MLNet.Transformers.Bench.Study;

/// <summary>One line of a <see cref="SvgPlot"/>: a name for the legend and its points.</summary>
internal sealed record PlotSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// A dependency-free SVG line plot: axes with ticks (linear, or powers of ten / of two on log axes), one polyline with
/// markers per series, a legend. Enough for the study's figures, nothing more.
/// </summary>
internal sealed class SvgPlot
{
    private const int Width = 640, Height = 400, Left = 70, Right = 170, Top = 40, Bottom = 55;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    /// <summary>Log₂ x axis (sequence lengths, distances).</summary>
    public bool LogX { get; init; }

    /// <summary>Log₁₀ y axis (throughputs, gradient norms).</summary>
    public bool LogY { get; init; }

    /// <summary>A fixed y range (e.g. accuracy 0..1); null fits the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>The SVG document.</summary>
    public string Render(IReadOnlyList<PlotSeries> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => Finite(p) && (!LogX || p.X > 0) && (!LogY || p.Y > 0)).ToList();
        if (points.Count == 0) throw new ArgumentException($"Plot '{Title}' has no points to draw.");
        var (x0, x1) = Range(points.Select(p => p.X), LogX ? Math.Log2 : v => v);
        var (y0, y1) = YRange is { } fixedRange ? fixedRange : Range(points.Select(p => p.Y), LogY ? Math.Log10 : v => v);
        if (YRange is not null && LogY) (y0, y1) = (Math.Log10(y0), Math.Log10(y1));
        if (LogY) (y0, y1) = (Math.Floor(y0), Math.Ceiling(y1));
        double Px(double x) => Left + ((LogX ? Math.Log2(x) : x) - x0) / Math.Max(x1 - x0, 1e-12) * (Width - Left - Right);
        double Py(double y) => Height - Bottom - ((LogY ? Math.Log10(y) : y) - y0) / Math.Max(y1 - y0, 1e-12) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(Title)}</text>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>\n"));
        foreach (var tick in Ticks(x0, x1, LogX, 2))
        {
            var px = Px(tick);
            svg.Append(Invariant($"<line x1=\"{px:F1}\" y1=\"{Height - Bottom}\" x2=\"{px:F1}\" y2=\"{Height - Bottom + 5}\" stroke=\"black\"/>"));
            svg.Append(Invariant($"<text x=\"{px:F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{Label(tick)}</text>\n"));
        }
        foreach (var tick in Ticks(y0, y1, LogY, 10))
        {
            var py = Py(tick);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{py:F1}\" x2=\"{Width - Right}\" y2=\"{py:F1}\" stroke=\"#ddd\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\">{Label(tick)}</text>\n"));
        }
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 15}\" text-anchor=\"middle\">{Escape(XLabel)}</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(18 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">{Escape(YLabel)}</text>\n"));
        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var drawn = series[i].Points.Where(p => Finite(p) && (!LogX || p.X > 0) && (!LogY || p.Y > 0)).ToList();
            var path = string.Join(" ", drawn.Select(p => Invariant($"{Px(p.X):F1},{Py(p.Y):F1}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{path}\"/>\n"));
            if (drawn.Count <= 24)
                foreach (var p in drawn) svg.Append(Invariant($"<circle cx=\"{Px(p.X):F1}\" cy=\"{Py(p.Y):F1}\" r=\"3\" fill=\"{color}\"/>"));
            var ly = Top + 10 + i * 20;
            svg.Append(Invariant($"\n<line x1=\"{Width - Right + 12}\" y1=\"{ly}\" x2=\"{Width - Right + 32}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.Append(Invariant($"<text x=\"{Width - Right + 38}\" y=\"{ly + 4}\">{Escape(series[i].Name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Rows of cells, one column per token, shaded by weight (darker = more, per row), the weight printed in each cell.</summary>
    public static string Heatmap(string title, IReadOnlyList<string> tokens, IReadOnlyList<(string Label, float[] Weights)> rows)
    {
        const int cell = 58, rowHeight = 30, margin = 10, labelWidth = 110, top = 48;
        var width = margin * 2 + labelWidth + cell * tokens.Count;
        var height = top + rowHeight * rows.Count + margin;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{margin}\" y=\"16\" font-size=\"13\">{Escape(title)}</text>\n"));
        for (var i = 0; i < tokens.Count; i++)
            svg.Append(Invariant($"<text x=\"{margin + labelWidth + i * cell + cell / 2}\" y=\"{top - 8}\" text-anchor=\"middle\">{Escape(tokens[i])}</text>"));
        for (var r = 0; r < rows.Count; r++)
        {
            var (label, weights) = rows[r];
            var max = Math.Max(weights.Max(), 1e-9f);
            var y = top + r * rowHeight;
            svg.Append(Invariant($"\n<text x=\"{margin}\" y=\"{y + rowHeight / 2 + 4}\">{Escape(label)}</text>"));
            for (var i = 0; i < tokens.Count; i++)
            {
                var x = margin + labelWidth + i * cell;
                var shade = (int)Math.Round(255 * (1 - weights[i] / max));
                svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell - 2}\" height=\"{rowHeight - 2}\" fill=\"rgb({shade},{shade},255)\" stroke=\"#999\"/>"));
                svg.Append(Invariant($"<text x=\"{x + cell / 2}\" y=\"{y + rowHeight / 2 + 3}\" text-anchor=\"middle\" fill=\"{(shade < 128 ? "white" : "black")}\">{weights[i]:F3}</text>"));
            }
        }
        svg.Append("\n</svg>\n");
        return svg.ToString();
    }

    private static bool Finite((double X, double Y) p) => double.IsFinite(p.X) && double.IsFinite(p.Y);

    private static (double Min, double Max) Range(IEnumerable<double> values, Func<double, double> scale)
    {
        var scaled = values.Select(scale).ToList();
        var (min, max) = (scaled.Min(), scaled.Max());
        return min == max ? (min - 1, max + 1) : (min, max);
    }

    /// <summary>Tick values in data units: whole powers on a log axis, about six round steps on a linear one.</summary>
    private static IEnumerable<double> Ticks(double min, double max, bool log, double logBase)
    {
        if (log)
        {
            for (var e = Math.Ceiling(min); e <= Math.Floor(max) + 1e-9; e++) yield return Math.Pow(logBase, e);
            yield break;
        }
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var v = Math.Ceiling(min / step) * step; v <= max + step * 1e-9; v += step) yield return v;
    }

    private static string Label(double value) =>
        Math.Abs(value) >= 1e4 || (Math.Abs(value) < 1e-2 && value != 0) ? value.ToString("0.#E+0", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text) ?? "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
