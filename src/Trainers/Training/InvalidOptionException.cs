namespace MLNet.Transformers.Trainers.Training;

/// <summary>
/// An option is out of range. <see cref="Exception.Message"/> is one plain sentence naming the option, what it must
/// be and what it was (no "(Parameter ...)" suffix), ready to show a user; <see cref="ArgumentException.ParamName"/>
/// is the option's name.
/// </summary>
public sealed class InvalidOptionException : ArgumentOutOfRangeException
{
    private readonly string _message;

    /// <summary>Creates the exception for option <paramref name="option"/>, which must be <paramref name="expected"/> but is <paramref name="value"/>.</summary>
    public InvalidOptionException(string option, object? value, string expected)
        : base(option, value, null)
    {
        _message = $"Option {option} must be {expected}, got {(value is null or "" ? "none" : value)}.";
    }

    /// <inheritdoc />
    public override string Message => _message;
}
