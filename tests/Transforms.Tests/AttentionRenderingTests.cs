using System.Globalization;
using System.Xml.Linq;
using MLNet.Transformers.Models.Attention;

namespace MLNet.Transformers.Transforms.Tests;

/// <summary>
/// The HTML and SVG renderings of attention maps: what they embed and draw, for self-attention and for a single row
/// over the tokens (an attention-RNN's context weights). The browser test of the page is in Cli.Tests.
/// </summary>
[TestClass]
public sealed class AttentionRenderingTests
{
    /// <summary>One layer, one head, one row over three tokens, one of which tries to close the page's script.</summary>
    private static readonly AttentionMaps ContextWeights = AttentionMaps.OverTokens(["good", "</script><b>", "movie"], [0.125f, 0.5f, 0.375f]);

    [TestMethod]
    public void TheSvgDrawsEveryWeightOfTheChosenMapWithItsTokens()
    {
        var maps = new AttentionMaps(["a", "b"], ["a", "b"], 2, 2, [.. Enumerable.Range(0, 16).Select(i => i / 16f)]);

        var svg = Svg(maps, new AttentionView { Layer = 1, Head = 0 });

        CollectionAssert.AreEqual(maps.Map(1, 0).ToArray(), Weights(svg));
        CollectionAssert.Contains(Texts(svg), "b");
        CollectionAssert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "title").Select(e => e.Value).ToArray(), "a \u2192 b: 0.5625");
    }

    [TestMethod]
    public void ASingleRowOfContextWeightsRendersAsOneRow()
    {
        var svg = Svg(ContextWeights, new AttentionView());

        CollectionAssert.AreEqual(ContextWeights.Weights.ToArray(), Weights(svg));
        CollectionAssert.IsSubsetOf(new[] { "context", "</script><b>" }, Texts(svg));
    }

    [TestMethod]
    public void ThePageEmbedsTheMapsWithNoWayOutOfItsScript()
    {
        using var writer = new StringWriter();

        AttentionHtml.Write(ContextWeights, writer, new AttentionView { Title = "<i>mine</i>" });

        var page = writer.ToString();
        Assert.AreEqual(2, page.Split("</script>").Length - 1, "only the page's own two scripts end");
        StringAssert.Contains(page, "\\u003C/script\\u003E\\u003Cb\\u003E");
        StringAssert.Contains(page, "<title>&lt;i&gt;mine&lt;/i&gt;</title>");
        StringAssert.Contains(page, "\"weights\":[0.125,0.5,0.375]");
        Assert.DoesNotContain("src=", page, "nothing is fetched");
    }

    [TestMethod]
    public void AViewOutsideTheMapsIsRefused()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AttentionHtml.Write(ContextWeights, TextWriter.Null, new AttentionView { Head = 1 }));
        StringAssert.Contains(error.Message, "The head must be from 0 to 0 (each layer has 1 heads)");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => AttentionSvg.Write(ContextWeights, TextWriter.Null, new AttentionView { Layer = -1 }));
    }

    private static XDocument Svg(AttentionMaps maps, AttentionView view)
    {
        using var writer = new StringWriter();
        AttentionSvg.Write(maps, writer, view);
        return XDocument.Parse(writer.ToString());
    }

    private static float[] Weights(XDocument svg) =>
        [.. svg.Descendants().Select(e => e.Attribute("data-weight")?.Value).OfType<string>().Select(v => float.Parse(v, CultureInfo.InvariantCulture))];

    private static string[] Texts(XDocument svg) => [.. svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value)];
}
