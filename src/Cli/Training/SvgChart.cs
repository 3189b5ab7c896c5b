using System.Globalization;
using System.Net;
using System.Text;

namespace MLNet.Transformers.Cli.Training;

/// <summary>A line chart as inline SVG: one or more series of (x, y) points on shared axes, with a legend.</summary>
internal static class SvgChart
{
    /// <summary>Chart width in SVG units.</summary>
    private const double Width = 640;

    /// <summary>Chart height in SVG units.</summary>
    private const double Height = 280;

    /// <summary>Room for axis labels on the left and bottom, and a margin on the right and top.</summary>
    private const double Left = 56, Bottom = 36, Right = 16, Top = 24;

    /// <summary>Number of labelled ticks per axis.</summary>
    private const int Ticks = 5;

    /// <summary>A series with at most this many points also marks each point (a single validation shows as a dot).</summary>
    private const int MarkedPoints = 60;

    /// <summary>A named series and its stroke colour.</summary>
    public sealed record Series(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>The SVG element of the chart titled <paramref name="title"/>; non-finite points are left out.</summary>
    public static string Lines(string title, string xLabel, IReadOnlyList<Series> series)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height / 2}\" font-size=\"12\">no data</text></svg>");
            return svg.ToString();
        }
        double minX = points.Min(p => p.X), maxX = points.Max(p => p.X), minY = points.Min(p => p.Y), maxY = points.Max(p => p.Y);
        if (maxX == minX) maxX = minX + 1;
        if (maxY == minY) maxY = minY + 1;
        double X(double x) => Left + (x - minX) / (maxX - minX) * (Width - Left - Right);
        double Y(double y) => Height - Bottom - (y - minY) / (maxY - minY) * (Height - Bottom - Top);

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");
        for (var i = 0; i <= Ticks; i++)
        {
            double x = minX + (maxX - minX) * i / Ticks, y = minY + (maxY - minY) * i / Ticks;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(x):0.#}\" y=\"{Height - Bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{Format(x)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Y(y) + 3:0.#}\" font-size=\"10\" text-anchor=\"end\">{Format(y)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 4}\" font-size=\"11\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var finite = series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            var path = string.Join(" ", finite.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.##},{Y(p.Y):0.##}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{series[s].Color}\" stroke-width=\"1.5\" points=\"{path}\"/>");
            if (finite.Count <= MarkedPoints)
                foreach (var (x, y) in finite)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(x):0.##}\" cy=\"{Y(y):0.##}\" r=\"2.5\" fill=\"{series[s].Color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 4}\" y=\"{Top + 14 + 14 * s}\" font-size=\"11\" text-anchor=\"end\" fill=\"{series[s].Color}\">{Escape(series[s].Name)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A confusion matrix as an SVG grid: rows are the truth, columns the prediction, shade by row share.</summary>
    public static string Confusion(string title, IReadOnlyList<string> classNames, IReadOnlyList<IReadOnlyList<double>> counts)
    {
        const double cell = 56, labelWidth = 120, header = 60;
        int k = classNames.Count;
        double width = labelWidth + cell * k + 8, height = header + cell * k + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth}\" y=\"34\" font-size=\"11\">predicted →</text><text x=\"4\" y=\"{header - 4}\" font-size=\"11\">truth ↓</text>");
        for (var c = 0; c < k; c++)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + cell * c + cell / 2}\" y=\"{header - 6}\" font-size=\"10\" text-anchor=\"middle\">{Escape(Short(classNames[c]))}</text>");
        for (var r = 0; r < k; r++)
        {
            double y = header + cell * r;
            double total = Math.Max(1, counts[r].Sum());
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + cell / 2 + 4}\" font-size=\"10\" text-anchor=\"end\">{Escape(Short(classNames[r]))}</text>");
            for (var c = 0; c < k; c++)
            {
                double share = counts[r][c] / total;
                string fill = r == c ? $"rgba(46,125,50,{0.15 + 0.85 * share:0.###})" : $"rgba(198,40,40,{0.05 + 0.95 * share:0.###})";
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth + cell * c}\" y=\"{y}\" width=\"{cell - 2}\" height=\"{cell - 2}\" fill=\"{fill}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + cell * c + cell / 2 - 1}\" y=\"{y + cell / 2 + 4}\" font-size=\"11\" text-anchor=\"middle\">{counts[r][c]}</text>");
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Text escaped for SVG / HTML.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Short(string name) => name.Length <= 14 ? name : name[..13] + "…";

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Round(value) ? value.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 0.01 ? value.ToString("0.###", CultureInfo.InvariantCulture) : value.ToString("0.##e0", CultureInfo.InvariantCulture);
}
