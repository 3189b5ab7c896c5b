using System.Text.Json.Nodes;
using MLNet.Transformers.Models.Configuration;

namespace MLNet.Transformers.Models.Checkpoints;

/// <summary>
/// A checkpoint split into shards by an index file (<c>model.safetensors.index.json</c> or
/// <c>pytorch_model.bin.index.json</c>) whose <c>weight_map</c> names the shard file of every tensor.
/// </summary>
public sealed class ShardedTensorSource : ITensorSource
{
    private readonly Dictionary<string, ITensorSource> _shardOf;
    private readonly List<ITensorSource> _shards;

    private ShardedTensorSource(string location, Dictionary<string, ITensorSource> shardOf, List<ITensorSource> shards)
    {
        Location = location;
        _shardOf = shardOf;
        _shards = shards;
        Names = [.. shardOf.Keys];
    }

    /// <summary>
    /// Opens every shard the index names with <paramref name="openShard"/> and checks that each listed tensor is in
    /// its shard.
    /// </summary>
    /// <exception cref="InvalidDataException">The index is malformed, or a shard lacks a tensor the index puts there.</exception>
    public static ShardedTensorSource Open(string indexPath, Func<string, ITensorSource> openShard)
    {
        var json = JsonFields.ParseObject(indexPath);
        if (json["weight_map"] is not JsonObject weightMap)
            throw new InvalidDataException($"{indexPath}: needs an object 'weight_map' from tensor name to shard file.");
        var directory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shardsByFile = new Dictionary<string, ITensorSource>(StringComparer.Ordinal);
        var shardOf = new Dictionary<string, ITensorSource>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in weightMap)
            {
                var file = node is JsonValue value && value.TryGetValue<string>(out var text) ? text
                    : throw new InvalidDataException($"{indexPath}: weight_map['{name}'] must be a file name.");
                if (Path.GetFileName(file) != file)
                    throw new InvalidDataException($"{indexPath}: weight_map['{name}'] = '{file}' must be a file beside the index.");
                if (!shardsByFile.TryGetValue(file, out var shard))
                    shardsByFile[file] = shard = openShard(Path.Combine(directory, file));
                if (!shard.Names.Contains(name))
                    throw new InvalidDataException($"{indexPath}: tensor '{name}' is not in its shard {file}.");
                shardOf[name] = shard;
            }
            return new ShardedTensorSource(indexPath, shardOf, [.. shardsByFile.Values]);
        }
        catch
        {
            foreach (var shard in shardsByFile.Values) shard.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <inheritdoc />
    public TensorInfo Describe(string name) => ShardOf(name).Describe(name);

    /// <inheritdoc />
    public void Read(string name, Span<float> destination) => ShardOf(name).Read(name, destination);

    private ITensorSource ShardOf(string name) =>
        _shardOf.TryGetValue(name, out var shard) ? shard : throw new KeyNotFoundException($"{Location}: no tensor named '{name}'.");

    /// <summary>Closes every shard.</summary>
    public void Dispose()
    {
        foreach (var shard in _shards) shard.Dispose();
    }
}
