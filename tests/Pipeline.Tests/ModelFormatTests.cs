namespace MLNet.Transformers.Pipeline.Tests;

/// <summary>ML.NET's header has room for an 8-character model signature and a 24-character loader signature: longer ones fail at construction, not deep inside <c>Model.Save</c>.</summary>
[TestClass]
public sealed class ModelFormatTests
{
    private static readonly System.Reflection.Assembly Here = typeof(ModelFormatTests).Assembly;

    [TestMethod]
    public void Signatures_that_fit_the_header_are_kept()
    {
        var format = new ModelFormat("ABCDEFGH", 1, 1, new string('x', ModelFormat.MaxLoaderSignatureLength), Here);
        Assert.AreEqual("ABCDEFGH", format.ModelSignature);
        Assert.AreEqual(ModelFormat.MaxLoaderSignatureLength, format.LoaderSignature.Length);
    }

    [TestMethod]
    public void A_loader_signature_longer_than_the_header_holds_is_refused()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => new ModelFormat("ABCDEFGH", 1, 1, "MLNetTransformers.TextClassification", Here));
        StringAssert.Contains(error.Message, "has 36");
    }

    [TestMethod]
    public void A_model_signature_of_another_length_is_refused() =>
        Assert.ThrowsExactly<ArgumentException>(() => new ModelFormat("TOOLONGSIG", 1, 1, "Loader", Here));
}
