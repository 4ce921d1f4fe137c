using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Models.Backbones;

/// <summary>
/// Embeddings on disk keyed by (crop content hash, backbone fingerprint, crop settings), so a rerun or a sweep never
/// recomputes one. One small file per embedding, written atomically; a damaged file is recomputed, never trusted.
/// </summary>
public sealed class EmbeddingCache(string directory)
{
    /// <summary>The cache folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>Embeddings found in the cache so far.</summary>
    public int Hits { get; private set; }

    /// <summary>Embeddings computed so far.</summary>
    public int Misses { get; private set; }

    /// <summary>The key of one crop under given backbone and crop settings.</summary>
    public static string Key(ReadOnlySpan<float> crop, string backboneFingerprint, string cropFingerprint)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(backboneFingerprint + "|" + cropFingerprint + "|"));
        hash.AppendData(MemoryMarshal.AsBytes(crop));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The embedding of every crop: from the cache where present, otherwise computed by <paramref name="backbone"/>
    /// in batches and stored.
    /// </summary>
    public float[][] GetOrCompute(IReadOnlyList<float[]> crops, ResNet18Backbone backbone, string cropFingerprint)
    {
        var result = new float[crops.Count][];
        var missing = new List<int>();
        var keys = new string[crops.Count];
        for (var i = 0; i < crops.Count; i++)
        {
            keys[i] = Key(crops[i], backbone.Fingerprint, cropFingerprint);
            if (TryRead(keys[i], out var e)) result[i] = e;
            else missing.Add(i);
        }
        Hits += crops.Count - missing.Count;
        Misses += missing.Count;
        if (missing.Count > 0)
        {
            var computed = backbone.Embed([.. missing.Select(i => crops[i])]);
            for (var m = 0; m < missing.Count; m++)
            {
                result[missing[m]] = computed[m];
                Write(keys[missing[m]], computed[m]);
            }
        }
        return result;
    }

    private string PathOf(string key) => Path.Combine(Directory, key[..2], key + ".f32");

    private bool TryRead(string key, out float[] embedding)
    {
        embedding = [];
        var path = PathOf(key);
        if (!File.Exists(path)) return false;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != ResNet18Backbone.EmbeddingSize * sizeof(float)) return false;
        embedding = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        return true;
    }

    private void Write(string key, float[] embedding)
    {
        AtomicFile.WriteAllBytes(PathOf(key), MemoryMarshal.AsBytes(embedding.AsSpan()).ToArray());
    }
}
