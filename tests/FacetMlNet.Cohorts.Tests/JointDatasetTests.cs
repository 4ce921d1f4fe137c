using FacetMlNet.Cohorts.Imaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace FacetMlNet.Cohorts.Tests;

public class JointDatasetTests(SmallCohortFixture fixture) : IClassFixture<SmallCohortFixture>
{
    private JointDataset Dataset(int slices = 1) =>
        new(fixture.Cohort, new JointCropper(new JointCropOptions { OutputPixels = 32, Slices = slices }), new Pseudonymizer("test-salt"));

    [Fact]
    public void Data_view_has_image_tensor_and_key_typed_labels()
    {
        var joints = fixture.Cohort.Joints.Take(8).ToList();
        var view = Dataset(3).ToDataView(new MLContext(1), joints);
        var image = (VectorDataViewType)view.Schema["Image"].Type;
        Assert.Equal([3, 32, 32], image.Dimensions.ToArray());
        Assert.Equal(4UL, ((KeyDataViewType)view.Schema["Osteophytes"].Type).Count);
        Assert.Equal(2UL, ((KeyDataViewType)view.Schema["SubchondralCysts"].Type).Count);
        var rows = new MLContext(1).Data.CreateEnumerable<JointDataset.Row>(view, reuseRowObject: false).ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("P-", r.PatientId));
        // Reading back through CreateEnumerable yields the raw key (1-based; 0 would be missing): grade + 1.
        Assert.Equal(joints.OrderBy(j => j.SeriesUid, StringComparer.Ordinal).Select(j => (uint)j.Reference.Overall + 1), rows.Select(r => r.Overall));
        Assert.All(rows, r => Assert.Equal(3 * 32 * 32, r.Image.Length));
    }

    [Fact]
    public void Png_crops_and_manifest_carry_pseudonyms_never_identifiers()
    {
        var dir = Path.Combine(fixture.Root, $"crops-{Guid.NewGuid():N}");
        var joints = fixture.Cohort.Joints.Take(4).ToList();
        var written = Dataset().WritePngs(joints, dir);
        Assert.Equal(4, written);
        var manifest = File.ReadAllLines(Path.Combine(dir, "manifest.csv"));
        Assert.Equal(5, manifest.Length);
        Assert.DoesNotContain(manifest, l => l.Contains("SYN", StringComparison.Ordinal));
        Assert.All(Directory.GetFiles(dir, "*.png"), f => Assert.DoesNotContain("SYN", Path.GetFileName(f)));
        // The reference grades in the manifest are the cohort's.
        var first = manifest[1].Split(',');
        Assert.Equal(joints.OrderBy(j => j.SeriesUid, StringComparer.Ordinal).First().Reference.Overall.ToString(), first[^1]);
    }

    [Fact]
    public void Pseudonyms_are_stable_per_salt_and_differ_between_salts()
    {
        Assert.Equal(new Pseudonymizer("a").Pseudonymize("SYN00001"), new Pseudonymizer("a").Pseudonymize("SYN00001"));
        Assert.NotEqual(new Pseudonymizer("a").Pseudonymize("SYN00001"), new Pseudonymizer("b").Pseudonymize("SYN00001"));
        Assert.NotEqual(new Pseudonymizer("a").Pseudonymize("SYN00001"), new Pseudonymizer("a").Pseudonymize("SYN00002"));
    }
}
