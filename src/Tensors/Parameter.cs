namespace MLNet.Transformers.Tensors;

/// <summary>A trainable tensor with its gradient buffer, addressed by its Hugging Face name.</summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter over <paramref name="value"/> with a zeroed gradient of the same shape.</summary>
    /// <param name="name">The checkpoint name, e.g. <c>attention.self.query.weight</c>.</param>
    /// <param name="value">The values (may be a view inside a packed buffer).</param>
    /// <param name="gradient">The gradient buffer, same shape as <paramref name="value"/>.</param>
    /// <param name="weightDecay">Whether AdamW decays it (true for weight matrices, false for biases and LayerNorm).</param>
    /// <exception cref="ArgumentException">The gradient's shape differs from the value's.</exception>
    public Parameter(string name, Tensor value, Tensor gradient, bool weightDecay)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        if (!value.Shape.SequenceEqual(gradient.Shape))
            throw new ArgumentException($"Gradient of '{name}' has shape {gradient}, expected {value}.");
        Name = name;
        Value = value;
        Gradient = gradient;
        WeightDecay = weightDecay;
    }

    /// <summary>The checkpoint name, relative to whatever owns the parameter.</summary>
    public string Name { get; }

    /// <summary>The current values.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient (backward passes add to it; the optimizer or caller clears it).</summary>
    public Tensor Gradient { get; }

    /// <summary>Whether decoupled weight decay applies (weights yes; biases and LayerNorm no, as in BERT fine-tuning).</summary>
    public bool WeightDecay { get; }

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGradient() => Gradient.Fill(0f);

    /// <summary>Copies <paramref name="values"/> into this parameter.</summary>
    /// <exception cref="ArgumentException">The length differs from the parameter's.</exception>
    public void Load(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Length)
            throw new ArgumentException($"Parameter '{Name}' {Value} has {Value.Length} elements, got {values.Length}.");
        values.CopyTo(Value.Span);
    }

    /// <summary>A view of this parameter under another name (for owners that prefix their children's names).</summary>
    public Parameter WithName(string name) => new(name, Value, Gradient, WeightDecay);
}
