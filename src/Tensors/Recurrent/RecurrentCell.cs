namespace MLNet.Transformers.Tensors;

/// <summary>The cell of a <see cref="RecurrentStack"/>.</summary>
public enum RecurrentCell
{
    /// <summary>Long short-term memory, PyTorch's <c>nn.LSTM</c> (<see cref="Lstm"/>).</summary>
    Lstm,

    /// <summary>Gated recurrent unit, PyTorch's <c>nn.GRU</c> (<see cref="Gru"/>).</summary>
    Gru,
}
