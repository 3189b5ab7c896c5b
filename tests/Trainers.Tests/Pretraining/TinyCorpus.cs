namespace MLNet.Transformers.Trainers.Tests.Pretraining;

/// <summary>A small, highly repetitive corpus whose masked words a tiny model learns to recover in seconds.</summary>
internal static class TinyCorpus
{
    private static readonly string[] Subjects = ["the president", "the congress", "the senate", "the people", "the court"];
    private static readonly string[] Verbs = ["spoke to", "wrote to", "met with", "thanked", "answered"];

    /// <summary>Writes the corpus as a <c>.txt</c> file (one text per line) in <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, int lines = 600)
    {
        var texts = Enumerable.Range(0, lines).Select(i =>
            $"{Subjects[i % Subjects.Length]} of the united states {Verbs[i / Subjects.Length % Verbs.Length]} {Subjects[(i / 25) % Subjects.Length]} today .");
        var path = Path.Combine(directory, "tiny.txt");
        File.WriteAllLines(path, texts);
        return path;
    }
}
