namespace MLNet.Transformers.Tensors.Tests;

[TestClass]
public sealed class TensorTests
{
    [TestMethod]
    public void SliceAndReshapeAreViewsOfTheSameStorage()
    {
        var tensor = Tensor.Wrap([.. Enumerable.Range(0, 24).Select(i => (float)i)], 0, 2, 3, 4);

        var second = tensor.Slice(1); // (3, 4)
        var flat = tensor.Reshape(6, 4);
        second.Span[0] = -1f;

        CollectionAssert.AreEqual(new[] { 3, 4 }, second.Shape.ToArray());
        Assert.AreEqual(-1f, tensor.Span[12]);
        Assert.AreEqual(-1f, flat.Slice(3).Span[0]);
        Assert.AreEqual(4, tensor.Size(-1));
        Assert.AreEqual("(2, 3, 4)", tensor.ToString());
    }

    [TestMethod]
    public void BadShapesAreRejectedWithTheShapesInTheMessage()
    {
        var tensor = new Tensor(2, 3);

        var reshape = Assert.ThrowsExactly<ArgumentException>(() => tensor.Reshape(4, 2));
        StringAssert.Contains(reshape.Message, "(2, 3)");
        Assert.ThrowsExactly<ArgumentException>(() => Tensor.Wrap(new float[5], 0, 2, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => tensor.Slice(2));
        var require = Assert.ThrowsExactly<ArgumentException>(() => tensor.RequireShape("attention mask", 2, 4));
        StringAssert.Contains(require.Message, "attention mask has shape (2, 3), expected (2, 4)");
    }

    [TestMethod]
    public void TensorBufferReusesStorageUpToItsLargestShape()
    {
        var buffer = new TensorBuffer();

        var large = buffer.Get(4, 8);
        var small = buffer.Get(2, 8);
        var sameAgain = buffer.Get(2, 8);

        Assert.AreSame(large.Storage, small.Storage);
        Assert.AreSame(small, sameAgain);
        Assert.AreEqual(32, buffer.Capacity);
        Assert.AreEqual(64, buffer.Get(8, 8).Length);
        Assert.AreEqual(64, buffer.Capacity);
    }

    [TestMethod]
    public void TensorBufferRegrowsGeometricallySoCreepingShapesReuseStorage()
    {
        var buffer = new TensorBuffer();

        Assert.AreEqual(100, buffer.Get(10, 10).Length);
        Assert.AreEqual(100, buffer.Capacity, "the first allocation is exact");
        var grown = buffer.Get(101);
        var creeping = buffer.Get(3, 50);

        Assert.AreEqual((int)(100 * TensorBuffer.GrowthFactor), buffer.Capacity);
        Assert.AreSame(grown.Storage, creeping.Storage);
    }
}
