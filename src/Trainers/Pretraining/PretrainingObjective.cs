namespace MLNet.Transformers.Trainers.Pretraining;

/// <summary>What a model learns from an unlabelled corpus.</summary>
public enum PretrainingObjective
{
    /// <summary>BERT's masked language modelling: recover masked tokens from both sides (<see cref="MaskedLanguageModelPretrainer"/>).</summary>
    Masked,

    /// <summary>GPT-2's causal language modelling: predict each next token from the ones before it (<see cref="CausalLanguageModelPretrainer"/>).</summary>
    Causal,
}
