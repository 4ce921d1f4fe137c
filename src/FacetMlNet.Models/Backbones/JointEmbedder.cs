using FacetMlNet.Cohorts;
using FacetMlNet.Cohorts.Imaging;

namespace FacetMlNet.Models.Backbones;

/// <summary>
/// Crops every joint of a cohort and embeds it with the backbone through the cache. A series is read once for both
/// of its joints; crops are embedded in chunks, so memory stays bounded whatever the cohort's size. With several
/// slices per joint (2.5D) the slice embeddings are pooled: mean and max, concatenated.
/// </summary>
public sealed class JointEmbedder(ResNet18Backbone backbone, JointCropper cropper, EmbeddingCache cache)
{
    private const int Chunk = 32;

    /// <summary>Length of a joint's feature vector.</summary>
    public int FeatureLength => cropper.Options.Slices == 1 ? ResNet18Backbone.EmbeddingSize : 2 * ResNet18Backbone.EmbeddingSize;

    /// <summary>The cache, for its hit and miss counts.</summary>
    public EmbeddingCache Cache => cache;

    /// <summary>Feature vectors of the given joints, by <see cref="CohortJoint.Key"/>.</summary>
    public IReadOnlyDictionary<string, float[]> Embed(Cohort cohort, IReadOnlyList<CohortJoint> joints, IProgress<int>? progress = null)
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var pending = new List<(CohortJoint Joint, float[][] Crops)>();
        var done = 0;
        void Flush()
        {
            var flat = pending.SelectMany(p => p.Crops).ToList();
            var embeddings = cache.GetOrCompute(flat, backbone, cropper.Options.Fingerprint);
            var at = 0;
            foreach (var (joint, crops) in pending)
            {
                result[joint.Key] = Pool(embeddings.AsSpan(at, crops.Length));
                at += crops.Length;
            }
            done += pending.Count;
            progress?.Report(done);
            pending.Clear();
        }
        foreach (var series in joints.GroupBy(j => j.SeriesUid))
        {
            var volume = cohort.LoadVolume(series.Key);
            foreach (var joint in series) pending.Add((joint, cropper.Crop(volume, joint.RoiMm, joint.Joint.Side)));
            if (pending.Sum(p => p.Crops.Length) >= Chunk) Flush();
        }
        if (pending.Count > 0) Flush();
        return result;
    }

    private static float[] Pool(ReadOnlySpan<float[]> slices)
    {
        if (slices.Length == 1) return slices[0];
        var d = slices[0].Length;
        var pooled = new float[2 * d];
        for (var k = 0; k < d; k++)
        {
            float sum = 0, max = float.MinValue;
            foreach (var s in slices)
            {
                sum += s[k];
                max = Math.Max(max, s[k]);
            }
            pooled[k] = sum / slices.Length;
            pooled[d + k] = max;
        }
        return pooled;
    }
}
