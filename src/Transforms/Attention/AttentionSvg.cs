using System.Globalization;
using System.Xml.Linq;
using MLNet.Transformers.Models.Attention;

namespace MLNet.Transformers.Transforms;

/// <summary>
/// One attention map (a layer and head) as a standalone SVG heatmap: the tokens along the top (keys, rotated) and
/// down the left (queries), one square per weight, its value in the square and in its tooltip.
/// </summary>
public static class AttentionSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Side of a cell, in pixels.</summary>
    private const int Cell = 30;

    /// <summary>Font size of labels and values, in pixels.</summary>
    private const int FontSize = 11;

    /// <summary>Width allowed per label character, in pixels (labels are sized without measuring text).</summary>
    private const double CharacterWidth = 0.62 * FontSize;

    /// <summary>Space around the drawing and between labels and cells, in pixels.</summary>
    private const int Margin = 8;

    /// <summary>Height of the title line, in pixels.</summary>
    private const int TitleHeight = 24;

    /// <summary>Writes <paramref name="view"/>'s layer and head of <paramref name="maps"/> as an SVG document.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The view's layer or head does not exist in the maps.</exception>
    public static void Write(AttentionMaps maps, TextWriter writer, AttentionView? view = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(writer);
        view ??= new AttentionView();
        view.Validate(maps);
        var map = maps.Map(view.Layer, view.Head).ToArray(); // (Q, K)
        var (q, k) = (maps.Queries.Count, maps.Tokens.Count);
        var left = Margin + LabelWidth(maps.Queries) + Margin;
        var top = TitleHeight + LabelWidth(maps.Tokens) + Margin;
        var (width, height) = (left + k * Cell + Margin, top + q * Cell + Margin);
        var root = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"),
            new XAttribute("font-family", "sans-serif"), new XAttribute("font-size", FontSize),
            new XElement(Svg + "rect", new XAttribute("width", width), new XAttribute("height", height), new XAttribute("fill", "#fff")),
            Text(Margin, TitleHeight - Margin, $"{view.Title}: layer {view.Layer}, head {view.Head}", "start", new XAttribute("font-weight", "bold")));
        for (var j = 0; j < k; j++)
        {
            var (x, y) = (left + j * Cell + Cell / 2, top - Margin);
            root.Add(Text(x, y, maps.Tokens[j], "start", new XAttribute("transform", Invariant($"rotate(-90 {x} {y})")), new XAttribute("dominant-baseline", "middle")));
        }
        for (var i = 0; i < q; i++)
        {
            root.Add(Text(left - Margin, top + i * Cell + Cell / 2, maps.Queries[i], "end", new XAttribute("dominant-baseline", "middle")));
            for (var j = 0; j < k; j++)
            {
                var w = map[i * k + j];
                var (x, y) = (left + j * Cell, top + i * Cell);
                root.Add(new XElement(Svg + "g", new XAttribute("data-weight", w.ToString(CultureInfo.InvariantCulture)),
                    new XElement(Svg + "title", $"{maps.Queries[i]} \u2192 {maps.Tokens[j]}: {w.ToString(CultureInfo.InvariantCulture)}"),
                    new XElement(Svg + "rect", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("width", Cell),
                        new XAttribute("height", Cell), new XAttribute("fill", AttentionColors.Fill(w))),
                    Text(x + Cell / 2, y + Cell / 2, w.ToString("0.00", CultureInfo.InvariantCulture), "middle",
                        new XAttribute("fill", AttentionColors.Text(w)), new XAttribute("dominant-baseline", "middle"))));
            }
        }
        writer.Write(new XDocument(root).ToString());
        writer.WriteLine();
    }

    private static int LabelWidth(IReadOnlyList<string> labels) => (int)Math.Ceiling(labels.Max(label => label.Length) * CharacterWidth);

    private static XElement Text(double x, double y, string text, string anchor, params XAttribute[] attributes) =>
        new(Svg + "text", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("text-anchor", anchor), attributes, text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
